package dev.switchboard.testkit.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

final class TestingBackendContextTest {
    private static final Settings SETTINGS = SettingsSchema.of(
            SettingDefinition.builder("Address", SettingType.TEXT).defaultValue("http://x").build()).defaults();

    private final TestingBackendContext context = new TestingBackendContext(SETTINGS, 7);

    @AfterEach
    void tearDown() {
        context.close();
    }

    @Test
    void startsWaitingWithTheHostsDefaults() {
        assertThat(context.backendId()).isEqualTo(7);
        assertThat(context.parentId()).isEmpty();
        assertThat(context.settings().getString("Address")).isEqualTo("http://x");
        assertThat(context.status()).isEqualTo(BackendStatus.WAITING);
        assertThat(context.statusHistory()).isEmpty();
        assertThat(context.features()).isEmpty();
        assertThat(context.maxUsages()).isEqualTo(1);
        assertThat(context.canLoadModels()).isTrue();
        assertThat(context.currentModel()).isEmpty();
        assertThat(context.isCurrent()).isTrue();
        assertThat(context.serverVersion()).isEqualTo(TestingBackendContext.SERVER_VERSION);
        assertThat(context.serverId()).isNotBlank();
        assertThat(context.logger()).isNotNull();
    }

    @Test
    void recordsStatusAndMessageChangesInOrder() {
        context.setStatus(BackendStatus.LOADING, "Loading");
        context.setStatusMessage("Still loading");
        context.setStatus(BackendStatus.RUNNING, "Connected");

        assertThat(context.statusHistory()).containsExactly(
                new StatusChange(BackendStatus.LOADING, "Loading"),
                new StatusChange(BackendStatus.LOADING, "Still loading"),
                new StatusChange(BackendStatus.RUNNING, "Connected"));
        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        assertThat(context.statusMessage()).isEqualTo("Connected");
    }

    @Test
    void refusesTheStatusesTheHostOwns() {
        assertThatThrownBy(() -> context.setStatus(BackendStatus.WAITING, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> context.setStatus(BackendStatus.ERRORED, "boom"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> context.setMaxUsages(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(context.statusHistory()).isEmpty();
    }

    @Test
    void keepsTheLatestAdvertisedValues() {
        context.setFeatures(Set.of("a", "b"));
        context.setFeatures(Set.of("c"));
        context.setMaxUsages(0);
        context.setCanLoadModels(false);
        context.setCurrentModel("m.safetensors");

        assertThat(context.features()).containsExactly("c");
        assertThat(context.maxUsages()).isZero();
        assertThat(context.canLoadModels()).isFalse();
        assertThat(context.currentModel()).contains("m.safetensors");
    }

    @Test
    void ignoresStatusReportsOnceNotCurrent() {
        context.setStatus(BackendStatus.RUNNING, "up");
        context.markNotCurrent();

        context.setStatus(BackendStatus.IDLE, "late");
        context.setStatusMessage("later");

        assertThat(context.isCurrent()).isFalse();
        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        assertThat(context.statusHistory()).containsExactly(new StatusChange(BackendStatus.RUNNING, "up"));
    }

    @Test
    void recordsChildSpawnsAndRemovals() {
        Backend child = new Backend() {
            @Override
            public void init() {
            }

            @Override
            public void shutdown() {
            }
        };
        int first = context.children().spawn("first", childContext -> child);
        int second = context.children().spawn("second", childContext -> child);
        context.children().remove(first);
        context.children().remove(12345);

        assertThat(first).isEqualTo(-1);
        assertThat(second).isEqualTo(-2);
        assertThat(context.recordedChildren().spawned()).extracting(SpawnedChild::title).containsExactly("first", "second");
        assertThat(context.recordedChildren().removed()).containsExactly(first);
        assertThat(context.recordedChildren().live()).extracting(SpawnedChild::id).containsExactly(second);

        context.markNotCurrent();
        assertThatThrownBy(() -> context.children().spawn("late", childContext -> child))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void hasARealSchedulerAndAWorkDirectoryThatCloseCleansUp() throws Exception {
        Path file = Files.writeString(context.workDirectory().resolve("state.txt"), "x");
        ScheduledFuture<String> task = context.scheduler().schedule(() -> Thread.currentThread().getName(),
                1, TimeUnit.MILLISECONDS);

        assertThat(task.get(10, TimeUnit.SECONDS)).contains("testing-backend-7");
        context.close();

        assertThat(file).doesNotExist();
        assertThat(context.workDirectory()).doesNotExist();
        assertThat(context.scheduler().isShutdown()).isTrue();
        assertThat(context.isCurrent()).isFalse();
    }

    @Test
    void itsSchedulerBehavesAsTheServersForOneBackend() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger("dev.switchboard.testkit.backend.7");
        logger.addAppender(log);
        try {
            ScheduledFuture<?> failing = context.scheduler().scheduleAtFixedRate(() -> {
                throw new IllegalStateException("probe exploded");
            }, 0, 5, TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("probe exploded");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.list).singleElement()
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .isEqualTo("A periodic task on testing-backend-7-scheduler failed and will not run again"));
        } finally {
            logger.detachAppender(log);
        }

        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        ScheduledFuture<?> blocking = context.scheduler().schedule(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }, 0, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> pending = context.scheduler().schedule(() -> { }, 1, TimeUnit.HOURS);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(context.scheduler().shutdownNow()).containsExactly((Runnable) pending);
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pending.isCancelled()).isTrue();
        assertThat(blocking.isCancelled()).isTrue();
    }

    @Test
    void describesNonRealChildren() {
        try (TestingBackendContext child = new TestingBackendContext(SETTINGS, -3, OptionalInt.of(7))) {
            assertThat(child.parentId()).hasValue(7);
        }
        assertThatThrownBy(() -> new TestingBackendContext(SETTINGS, -3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
