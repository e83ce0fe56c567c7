// tag::backend[]
package dev.switchboard.examples.echo;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.api.generation.ModelType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One echo backend instance: a fresh one for every initialisation attempt. It draws pictures, too. */
final class EchoBackend implements Backend, ImageGenerator {
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
        // Advertise exactly what generate() implements: "echo" names the engine, no parameter needs more.
        context.setFeatures(Set.of("echo"));
        context.setMaxUsages(context.settings().getInt(EchoSettings.SLOTS));
        context.setCanLoadModels(true);
        reportModels();
        String shown = "loud".equals(context.settings().getString(EchoSettings.MOOD))
                ? greeting.toUpperCase(Locale.ROOT) : greeting;
        // Periodic work runs on the context's scheduler, which the host stops with the instance.
        heartbeat = context.scheduler().scheduleAtFixedRate(
                () -> context.appendOutput("echo: " + shown), 0, 10, TimeUnit.SECONDS);
        context.setStatus(BackendStatus.RUNNING, shown);
    }

    @Override
    public void generate(GenerationJob job, GenerationOutput output) throws Exception {
        // Called on a host thread, at most Slots times at once, only while RUNNING; each call is one job.
        new EchoJob(job, output, models(), context.settings().getLong(EchoSettings.STEP_MILLIS)).run();
    }

    @Override
    public void refreshModels() {
        // A real engine is asked again here; the echo's models are its settings, which an instance never changes.
        reportModels();
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

    private void reportModels() {
        context.setModels(Map.of(ModelType.STABLE_DIFFUSION, models()));
    }

    private List<String> models() {
        return context.settings().getList(EchoSettings.MODELS);
    }
}
// end::backend[]
