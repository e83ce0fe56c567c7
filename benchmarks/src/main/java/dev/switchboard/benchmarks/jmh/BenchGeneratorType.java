package dev.switchboard.benchmarks.jmh;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.SettingsSchema;
import java.util.List;
import java.util.Map;

/**
 * A generating backend type for the dispatcher benchmarks: its backends become {@code running} at once with one
 * job slot and one model, {@link #MODEL}, and make nothing when asked, so what is measured is the dispatcher's
 * own work.
 */
final class BenchGeneratorType implements BackendType {
    static final String ID = "bench_gen";
    static final String MODEL = "bench/model.safetensors";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Benchmark generator";
    }

    @Override
    public String description() {
        return "Becomes running at once with one model; generates nothing. Used by the dispatcher benchmarks.";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return BenchBackendType.SCHEMA;
    }

    @Override
    public Backend create(BackendContext context) {
        return new Generator(context);
    }

    private static final class Generator implements Backend, ImageGenerator {
        private final BackendContext context;

        Generator(BackendContext context) {
            this.context = context;
        }

        @Override
        public void init() {
            context.setMaxUsages(1);
            context.setModels(Map.of(ModelType.STABLE_DIFFUSION, List.of(MODEL)));
            context.setStatus(BackendStatus.RUNNING, "Running: benchmark generator.");
        }

        @Override
        public void generate(GenerationJob job, GenerationOutput output) {
            // Instant: the job is done as soon as it starts.
        }

        @Override
        public void shutdown() {
            // Nothing to release.
        }
    }
}
