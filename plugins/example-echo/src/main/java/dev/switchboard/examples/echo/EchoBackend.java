// tag::backend[]
package dev.switchboard.examples.echo;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One echo backend instance: a fresh one for every initialisation attempt. */
final class EchoBackend implements Backend {
    private final BackendContext context;
    private volatile ScheduledFuture<?> heartbeat;

    EchoBackend(BackendContext context) {
        // Cheap and non-blocking: real work belongs in init().
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public void init() {
        String greeting = context.settings().getString(EchoSettings.GREETING);
        if (greeting.isEmpty()) {
            // Not configured enough to start: say so and return; the host keeps DISABLED.
            context.setStatus(BackendStatus.DISABLED, "Set a greeting to enable this backend.");
            return;
        }
        context.setStatus(BackendStatus.LOADING, "Warming up");
        context.setFeatures(Set.of("echo"));
        context.setMaxUsages(context.settings().getInt(EchoSettings.SLOTS));
        context.setCanLoadModels(false);
        String shown = "loud".equals(context.settings().getString(EchoSettings.MOOD))
                ? greeting.toUpperCase(Locale.ROOT) : greeting;
        // Periodic work runs on the context's scheduler, which the host stops with the instance.
        heartbeat = context.scheduler().scheduleAtFixedRate(
                () -> context.appendOutput("echo: " + shown), 0, 10, TimeUnit.SECONDS);
        context.setStatus(BackendStatus.RUNNING, shown);
    }

    @Override
    public boolean freeMemory(boolean systemRam) {
        context.appendOutput(systemRam ? "echo: freed VRAM and RAM" : "echo: freed VRAM");
        return true;
    }

    @Override
    public void shutdown() {
        // Idempotent, and safe before, during or after init().
        ScheduledFuture<?> running = heartbeat;
        if (running != null) {
            running.cancel(true);
        }
    }
}
// end::backend[]
