package dev.switchboard.server.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class PluginCallGuardTest {
    private final PluginCallGuard guard = new PluginCallGuard(Duration.ofSeconds(10));

    @Test
    void runsTheWorkOnADaemonThreadWithThePluginsContextClassLoader() throws Exception {
        try (URLClassLoader pluginLoader = new URLClassLoader(new URL[0], null)) {
            Thread caller = Thread.currentThread();

            Thread worker = guard.call("Probing", pluginLoader, () -> {
                assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(pluginLoader);
                return Thread.currentThread();
            }, () -> "probe");

            assertThat(worker).isNotSameAs(caller);
            assertThat(worker.isDaemon()).isTrue();
            assertThat(caller.getContextClassLoader()).isNotSameAs(pluginLoader);
        }
    }

    @Test
    void reportsAThrownErrorWithItsClassAndMessage() {
        assertThatThrownBy(() -> guard.call("Reading plugin 'x'", getClass().getClassLoader(), () -> {
            throw new StackOverflowError("too deep");
        }, () -> "x"))
                .isInstanceOf(PluginProblemException.class)
                .hasMessage("Reading plugin 'x' failed: java.lang.StackOverflowError: too deep")
                .hasCauseInstanceOf(StackOverflowError.class);
    }

    @Test
    void passesOnAProblemTheWorkAlreadyDescribed() {
        PluginProblemException problem = new PluginProblemException("Backend type X.id() returned null");

        assertThatThrownBy(() -> guard.call("Reading plugin 'x'", getClass().getClassLoader(), () -> {
            throw problem;
        }, () -> "x")).isSameAs(problem);
    }

    @Test
    void givesUpOnWorkThatOverrunsTheDeadlineAndInterruptsIt() throws InterruptedException {
        PluginCallGuard impatient = new PluginCallGuard(Duration.ofMillis(200));
        CountDownLatch interrupted = new CountDownLatch(1);

        assertThatThrownBy(() -> impatient.call("Reading plugin 'slow'", getClass().getClassLoader(), () -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return null;
        }, () -> "Slow.settingsSchema()"))
                .isInstanceOf(PluginProblemException.class)
                .hasMessage("Reading plugin 'slow' did not finish within 200 ms (stuck in Slow.settingsSchema())");
        assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void refusesANonPositiveDeadline() {
        assertThatThrownBy(() -> new PluginCallGuard(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
