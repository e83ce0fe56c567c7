package dev.switchboard.server.backends;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.InitMode;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import dev.switchboard.server.plugins.RegisteredBackendType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process backend type for lifecycle tests. Its settings script what init does: {@code Mode} is
 * {@code ok}, {@code fail} or {@code hang}; {@code DelayMillis} slows init down. It counts live instances,
 * so tests can prove that no backend ever has two.
 */
final class ScriptedBackendType implements BackendType {
    final AtomicInteger live = new AtomicInteger();
    final AtomicInteger maxLive = new AtomicInteger();
    final AtomicInteger inits = new AtomicInteger();
    /** Inits running now, and the most that ever ran at once. */
    final AtomicInteger initsAtOnce = new AtomicInteger();
    final AtomicInteger mostInitsAtOnce = new AtomicInteger();
    final List<String> events = new CopyOnWriteArrayList<>();
    /** The context of every instance created, oldest first, so tests can report through stale ones. */
    final List<BackendContext> contexts = new CopyOnWriteArrayList<>();
    private final String id;
    private final InitMode initMode;

    ScriptedBackendType(String id, InitMode initMode) {
        this.id = id;
        this.initMode = initMode;
    }

    RegisteredBackendType registered() {
        return new RegisteredBackendType(id, "Scripted " + id, "for tests", true, true, initMode,
                Duration.ofSeconds(2), settingsSchema(), this, "tests", getClass().getClassLoader());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String displayName() {
        return "Scripted";
    }

    @Override
    public String description() {
        return "for tests";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SettingsSchema.of(
                SettingDefinition.builder("Mode", SettingType.DROPDOWN).values(List.of("ok", "fail", "hang", "crash")).build(),
                SettingDefinition.builder("DelayMillis", SettingType.INTEGER).range(0, 60_000).build(),
                SettingDefinition.builder("Token", SettingType.TEXT).secret().build());
    }

    @Override
    public List<SettingIssue> validate(Settings settings) {
        return settings.getString("Token").equals("forbidden")
                ? List.of(new SettingIssue("Token", "That token is not allowed.")) : List.of();
    }

    @Override
    public Backend create(BackendContext context) {
        contexts.add(context);
        return new Backend() {
            private boolean alive;
            private boolean closed;

            @Override
            public void init() throws Exception {
                synchronized (this) {
                    if (closed) {
                        throw new IllegalStateException("shut down before init");
                    }
                    alive = true;
                    maxLive.accumulateAndGet(live.incrementAndGet(), Math::max);
                }
                inits.incrementAndGet();
                events.add("init " + context.backendId());
                context.appendOutput("init number " + inits.get());
                mostInitsAtOnce.accumulateAndGet(initsAtOnce.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(context.settings().getInt("DelayMillis"));
                } finally {
                    initsAtOnce.decrementAndGet();
                }
                switch (context.settings().getString("Mode")) {
                    case "fail" -> throw new IllegalStateException("scripted failure");
                    case "hang" -> {
                        while (true) {
                            try {
                                Thread.sleep(60_000);
                            } catch (InterruptedException ignored) {
                                // Hangs the way a badly written plugin does: ignoring interrupts.
                            }
                        }
                    }
                    case "crash" -> context.scheduler().schedule(
                            () -> context.fail("the engine crashed (exit code 3)"), 50, TimeUnit.MILLISECONDS);
                    default -> { }
                }
            }

            @Override
            public synchronized void shutdown() {
                closed = true;
                if (alive) {
                    alive = false;
                    live.decrementAndGet();
                }
                events.add("shutdown " + context.backendId());
            }

            @Override
            public boolean freeMemory(boolean systemRam) {
                return true;
            }
        };
    }
}
