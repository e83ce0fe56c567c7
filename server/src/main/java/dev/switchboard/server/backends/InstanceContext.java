package dev.switchboard.server.backends;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.ChildBackends;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.server.scheduling.SharedScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BackendContext} of one backend instance. The record applies its reports only while this is the
 * record's current context: once the host retires the instance (shutdown, failed attempt) or a newer
 * incarnation starts, late reports from a slow or hung instance are dropped.
 */
final class InstanceContext implements BackendContext {
    private final BackendRecord record;
    private final Settings settings;
    private final ServerIdentity identity;
    private final Path workDirectory;
    private final ChildBackends children;
    private final Logger logger;
    private final Duration startTimeout;
    private final Consumer<String> onFailure;
    private final SharedScheduler schedulers;
    private volatile boolean retired;
    private ScheduledExecutorService scheduler;

    InstanceContext(BackendRecord record, ServerIdentity identity, Path workDirectory, ChildBackends children,
                    Duration startTimeout, SharedScheduler schedulers, Consumer<String> onFailure) {
        this.record = record;
        this.schedulers = schedulers;
        this.startTimeout = startTimeout;
        this.onFailure = onFailure;
        this.identity = identity;
        this.workDirectory = workDirectory;
        this.children = children;
        this.settings = record.settings();
        this.logger = LoggerFactory.getLogger("backend." + record.type.id() + "." + record.id());
    }

    @Override
    public int backendId() {
        return record.id();
    }

    @Override
    public OptionalInt parentId() {
        return record.parentId();
    }

    @Override
    public String title() {
        return record.title();
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public BackendStatus status() {
        return record.status();
    }

    @Override
    public void setStatus(BackendStatus status, String message) {
        record.reportStatus(this, status, message == null ? "" : message);
    }

    @Override
    public void setStatusMessage(String message) {
        record.reportStatusMessage(this, message == null ? "" : message);
    }

    @Override
    public void setFeatures(Set<String> features) {
        // Sorted once here, so every snapshot can share it instead of sorting a copy.
        SortedSet<String> sorted = Collections.unmodifiableSortedSet(new TreeSet<>(features));
        record.report(this, advertised -> advertised.withFeatures(sorted));
    }

    @Override
    public void setMaxUsages(int maxUsages) {
        if (maxUsages < 0) {
            throw new IllegalArgumentException("maxUsages must not be negative: " + maxUsages);
        }
        record.report(this, advertised -> advertised.withMaxUsages(maxUsages));
    }

    @Override
    public void setCanLoadModels(boolean canLoadModels) {
        record.report(this, advertised -> advertised.withCanLoadModels(canLoadModels));
    }

    @Override
    public void setCurrentModel(String model) {
        record.report(this, advertised -> advertised.withCurrentModel(model));
    }

    @Override
    public void setModels(Map<ModelType, ? extends Collection<String>> models) {
        requireNonNull(models, "models is null");
        Advertised copied = Advertised.INITIAL.withModels(models);
        record.report(this, advertised -> advertised.withModels(copied.models()));
    }

    @Override
    public void setNodeTypes(Set<String> nodeTypes) {
        Set<String> copy = Set.copyOf(requireNonNull(nodeTypes, "nodeTypes is null"));
        record.report(this, advertised -> advertised.withNodeTypes(copy));
    }

    @Override
    public void fail(String reason) {
        String text = reason == null || reason.isBlank() ? "The backend reported a failure." : reason;
        if (isCurrent()) {
            onFailure.accept(text);
        }
    }

    @Override
    public void appendOutput(String line) {
        // Kept even from a retired instance: a dying process's last words are what operators need.
        record.output.append(record.redactor.redact(line == null ? "" : line));
    }

    @Override
    public Duration startTimeout() {
        return startTimeout;
    }

    @Override
    public Logger logger() {
        return logger;
    }

    /**
     * Creates the folder (and {@code <data-dir>/backends/} above it) readable by the owner only: plugins keep
     * process records with full command lines and other private files there.
     */
    @Override
    public Path workDirectory() {
        try {
            ownerOnlyDirectory(workDirectory.getParent());
            return ownerOnlyDirectory(workDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the work directory " + workDirectory, e);
        }
    }

    private static Path ownerOnlyDirectory(Path directory) throws IOException {
        if (!directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createDirectories(directory);
        }
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rwx------");
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(ownerOnly));
        // A folder an earlier version made 0755 is tightened too.
        if (!Files.getPosixFilePermissions(directory).equals(ownerOnly)) {
            Files.setPosixFilePermissions(directory, ownerOnly);
        }
        return directory;
    }

    /** A view of the server's shared pool: this instance's tasks, one at a time, stopped when it retires. */
    @Override
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = schedulers.view("backend-" + backendId() + "-scheduler", record.type.classLoader(), logger);
            if (retired) {
                scheduler.shutdownNow();
            }
        }
        return scheduler;
    }

    @Override
    public ChildBackends children() {
        return children;
    }

    @Override
    public boolean isCurrent() {
        return !retired && record.isCurrent(this);
    }

    @Override
    public String serverId() {
        return identity.serverId();
    }

    @Override
    public String serverVersion() {
        return identity.version();
    }

    /** Stops accepting reports and stops the instance's scheduled work. Idempotent. */
    void retire() {
        retired = true;
        ScheduledExecutorService toStop;
        synchronized (this) {
            toStop = scheduler;
        }
        if (toStop != null) {
            toStop.shutdownNow();
        }
    }
}
