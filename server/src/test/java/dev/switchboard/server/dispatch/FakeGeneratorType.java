package dev.switchboard.server.dispatch;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.InitMode;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.SettingsSchema;
import dev.switchboard.server.plugins.RegisteredBackendType;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * An in-process backend type whose backends generate: real PNGs of the asked size, after {@code Steps} steps of
 * {@code StepMillis} each, reporting progress. Its settings script it: the models it lists, its max usages and
 * features, how long init takes, and a failure to throw. It records every job it ran and the most jobs each
 * backend ever ran at once, so tests can check the dispatcher from the backends' side.
 */
final class FakeGeneratorType implements BackendType {
    static final SettingsSchema SCHEMA = SettingsSchema.of(
            SettingDefinition.builder("Models", SettingType.LIST).defaultValue(List.of("base.safetensors")).build(),
            SettingDefinition.builder("MaxUsages", SettingType.INTEGER).defaultValue(1).range(0, 100).build(),
            SettingDefinition.builder("Steps", SettingType.INTEGER).defaultValue(2).range(0, 1000).build(),
            SettingDefinition.builder("StepMillis", SettingType.INTEGER).defaultValue(0).range(0, 60_000).build(),
            SettingDefinition.builder("InitMillis", SettingType.INTEGER).defaultValue(0).range(0, 60_000).build(),
            SettingDefinition.builder("Features", SettingType.LIST).defaultValue(List.of("txt2img")).build(),
            SettingDefinition.builder("Fail", SettingType.TEXT).defaultValue("").build(),
            SettingDefinition.builder("IgnoreCancel", SettingType.BOOLEAN).defaultValue(false).build());

    /** What one run saw. */
    record Run(int backendId, GenerationJob job) {
    }

    final List<Run> runs = new CopyOnWriteArrayList<>();
    final Map<Integer, AtomicInteger> running = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> mostAtOnce = new ConcurrentHashMap<>();
    private final String id;

    FakeGeneratorType(String id) {
        this.id = id;
    }

    RegisteredBackendType registered() {
        return new RegisteredBackendType(id, "Fake generator", "for tests", true, true, InitMode.PARALLEL,
                Duration.ofSeconds(30), SCHEMA, this, "tests", getClass().getClassLoader());
    }

    int mostAtOnce(int backendId) {
        AtomicInteger most = mostAtOnce.get(backendId);
        return most == null ? 0 : most.get();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String displayName() {
        return "Fake generator";
    }

    @Override
    public String description() {
        return "for tests";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public Backend create(BackendContext context) {
        return new FakeGenerator(context);
    }

    static byte[] png(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, new Color((int) ((seed + x) & 255), (int) ((seed >> 8) + y & 255), 128).getRGB());
            }
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class FakeGenerator implements Backend, ImageGenerator {
        private final BackendContext context;

        FakeGenerator(BackendContext context) {
            this.context = context;
        }

        @Override
        public void init() throws Exception {
            Thread.sleep(context.settings().getInt("InitMillis"));
            context.setMaxUsages(context.settings().getInt("MaxUsages"));
            context.setFeatures(Set.copyOf(context.settings().getList("Features")));
            context.setModels(Map.of(ModelType.STABLE_DIFFUSION, context.settings().getList("Models"),
                    ModelType.LORA, List.of("style.safetensors")));
        }

        @Override
        public void shutdown() {
        }

        @Override
        public void generate(GenerationJob job, GenerationOutput output) throws Exception {
            int backend = context.backendId();
            int now = running.computeIfAbsent(backend, key -> new AtomicInteger()).incrementAndGet();
            mostAtOnce.computeIfAbsent(backend, key -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            runs.add(new Run(backend, job));
            try {
                int steps = context.settings().getInt("Steps");
                for (int step = 1; step <= steps; step++) {
                    sleep(context.settings().getInt("StepMillis"), job);
                    if (job.cancellation().isCancelled() && !context.settings().getBoolean("IgnoreCancel")) {
                        return;
                    }
                    output.progress((double) step / (steps + 1), (double) step / steps);
                }
                String fail = context.settings().getString("Fail");
                if (!fail.isEmpty()) {
                    throw new GenerationException(fail);
                }
                for (int i = 0; i < job.parameters().batchSize(); i++) {
                    output.image(png(job.parameters().width(), job.parameters().height(), job.parameters().seed() + i),
                            "image/png");
                }
            } finally {
                running.get(backend).decrementAndGet();
            }
        }

        private void sleep(int millis, GenerationJob job) throws InterruptedException {
            long end = System.nanoTime() + millis * 1_000_000L;
            boolean ignore = context.settings().getBoolean("IgnoreCancel");
            while (System.nanoTime() < end) {
                if (!ignore && job.cancellation().isCancelled()) {
                    return;
                }
                try {
                    Thread.sleep(Math.min(10, millis));
                } catch (InterruptedException e) {
                    if (!ignore) {
                        throw e;
                    }
                }
            }
        }
    }
}
