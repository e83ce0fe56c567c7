package dev.switchboard.testkit.backends;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.ChildBackends;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ready {@link BackendContext} for unit tests of backend plugins. It records what the backend reports
 * (every status and message change, in order, and the latest features, concurrency limit, can-load-models
 * flag and current model), runs a real single-thread daemon scheduler that behaves as the server's does for one
 * backend (tasks one at a time in due order, a throwing periodic task logged, {@code shutdownNow()} cancelling the
 * futures it stops), owns a temporary work directory, and
 * enforces the rules the host enforces: a backend may not set {@link BackendStatus#WAITING} or
 * {@link BackendStatus#ERRORED}, and nothing it reports counts once the instance is no longer current.
 *
 * <p>Starts in {@link BackendStatus#WAITING} with an empty message, as a freshly queued backend does. Close it
 * (try-with-resources) to stop the scheduler and delete the work directory. Thread-safe.
 */
public final class TestingBackendContext implements BackendContext, AutoCloseable {

    /** The version {@link #serverVersion()} reports. */
    public static final String SERVER_VERSION = "1.0.0-testkit";

    private final int backendId;
    private final OptionalInt parentId;
    private final Settings settings;
    private final String serverId = UUID.randomUUID().toString();
    private final Logger logger;
    private final TemporaryDirectory workDirectory;
    private final TestingScheduler scheduler;
    private final RecordingChildBackends children;

    // All guarded by this.
    private final List<StatusChange> statusHistory = new ArrayList<>();
    private BackendStatus status = BackendStatus.WAITING;
    private String message = "";
    private Set<String> features = Set.of();
    private int maxUsages = 1;
    private boolean canLoadModels = true;
    private String currentModel;
    private Map<ModelType, List<String>> models = Map.of();
    private Set<String> nodeTypes = Set.of();
    private boolean current = true;
    private final List<String> output = new ArrayList<>();
    private Duration startTimeout = Duration.ofMinutes(10);
    private String title = "";

    /**
     * Creates a context for a real backend with id 0.
     *
     * @param settings the backend's settings, e.g. {@code type.settingsSchema().defaults()}
     */
    public TestingBackendContext(Settings settings) {
        this(settings, 0);
    }

    /**
     * Creates a context for a real backend.
     *
     * @param settings the backend's settings
     * @param backendId the id to report; 0 or more
     */
    public TestingBackendContext(Settings settings, int backendId) {
        this(settings, backendId, OptionalInt.empty());
    }

    /**
     * Creates a context for a backend, real or (with a parent id and a negative id) non-real.
     *
     * @param settings the backend's settings
     * @param backendId the id to report
     * @param parentId the parent's id for a non-real child, or empty
     */
    public TestingBackendContext(Settings settings, int backendId, OptionalInt parentId) {
        this.settings = requireNonNull(settings, "settings is null");
        this.parentId = requireNonNull(parentId, "parentId is null");
        if (parentId.isPresent() != backendId < 0) {
            throw new IllegalArgumentException("non-real backends have negative ids and a parent, real ones neither;"
                    + " got id " + backendId + " and parent " + parentId);
        }
        this.backendId = backendId;
        this.logger = LoggerFactory.getLogger("dev.switchboard.testkit.backend." + backendId);
        this.workDirectory = new TemporaryDirectory("switchboard-backend-");
        this.scheduler = new TestingScheduler("testing-backend-" + backendId + "-scheduler", logger);
        this.children = new RecordingChildBackends(this::isCurrent);
    }

    @Override
    public int backendId() {
        return backendId;
    }

    @Override
    public OptionalInt parentId() {
        return parentId;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public synchronized BackendStatus status() {
        return status;
    }

    @Override
    public synchronized void setStatus(BackendStatus newStatus, String newMessage) {
        requireNonNull(newStatus, "status is null");
        requireNonNull(newMessage, "message is null");
        if (!newStatus.settableByBackend()) {
            throw new IllegalArgumentException("backends may not set " + newStatus
                    + "; the host owns it (see BackendContext.setStatus)");
        }
        if (!current) {
            return;
        }
        status = newStatus;
        message = newMessage;
        statusHistory.add(new StatusChange(newStatus, newMessage));
    }

    /**
     * Records the failure as the host does: status {@code ERRORED} with the reason, and the instance is no
     * longer current (the host shuts it down; tests call {@code shutdown()} themselves if they need to).
     */
    @Override
    public synchronized void fail(String reason) {
        requireNonNull(reason, "reason is null");
        if (!current) {
            return;
        }
        status = BackendStatus.ERRORED;
        message = reason;
        statusHistory.add(new StatusChange(status, reason));
        current = false;
    }

    @Override
    public synchronized void appendOutput(String line) {
        output.add(requireNonNull(line, "line is null"));
    }

    /**
     * Returns every output line the backend appended, in order.
     *
     * @return an immutable copy
     */
    public synchronized List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public synchronized String title() {
        return title;
    }

    /**
     * Sets what {@link #title()} returns (empty by default).
     *
     * @param newTitle the title
     */
    public synchronized void setTitle(String newTitle) {
        title = requireNonNull(newTitle, "title is null");
    }

    @Override
    public synchronized Duration startTimeout() {
        return startTimeout;
    }

    /**
     * Sets what {@link #startTimeout()} returns (10 minutes by default), e.g. to test a start-up deadline fast.
     *
     * @param timeout a positive duration
     */
    public synchronized void setStartTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        startTimeout = timeout;
    }

    @Override
    public synchronized void setStatusMessage(String newMessage) {
        requireNonNull(newMessage, "message is null");
        if (!current) {
            return;
        }
        message = newMessage;
        statusHistory.add(new StatusChange(status, newMessage));
    }

    @Override
    public synchronized void setFeatures(Set<String> newFeatures) {
        features = Set.copyOf(requireNonNull(newFeatures, "features is null"));
    }

    @Override
    public synchronized void setMaxUsages(int newMaxUsages) {
        if (newMaxUsages < 0) {
            throw new IllegalArgumentException("maxUsages must be 0 or more, got " + newMaxUsages);
        }
        maxUsages = newMaxUsages;
    }

    @Override
    public synchronized void setCanLoadModels(boolean newCanLoadModels) {
        canLoadModels = newCanLoadModels;
    }

    @Override
    public synchronized void setCurrentModel(String model) {
        currentModel = model;
    }

    @Override
    public synchronized void setModels(Map<ModelType, ? extends Collection<String>> newModels) {
        Map<ModelType, List<String>> copy = new EnumMap<>(ModelType.class);
        requireNonNull(newModels, "models is null").forEach((type, names) -> copy.put(type, List.copyOf(names)));
        models = Collections.unmodifiableMap(copy);
    }

    @Override
    public synchronized void setNodeTypes(Set<String> newNodeTypes) {
        nodeTypes = Set.copyOf(requireNonNull(newNodeTypes, "nodeTypes is null"));
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public Path workDirectory() {
        return workDirectory.path();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public ChildBackends children() {
        return children;
    }

    /**
     * Returns the child-backend recorder (the same object as {@link #children()}).
     *
     * @return the recorder
     */
    public RecordingChildBackends recordedChildren() {
        return children;
    }

    @Override
    public synchronized boolean isCurrent() {
        return current;
    }

    @Override
    public String serverId() {
        return serverId;
    }

    @Override
    public String serverVersion() {
        return SERVER_VERSION;
    }

    /**
     * Simulates the host moving on from this instance (an edit, restart or delete): {@link #isCurrent()}
     * turns false and later status reports are ignored. The scheduler keeps running, so tests can check that
     * the backend stops its own periodic work.
     */
    public synchronized void markNotCurrent() {
        current = false;
    }

    /**
     * Returns every status or message change the backend reported while current, in order.
     *
     * @return an immutable copy
     */
    public synchronized List<StatusChange> statusHistory() {
        return List.copyOf(statusHistory);
    }

    /**
     * Returns the current status message.
     *
     * @return the message, never null
     */
    public synchronized String statusMessage() {
        return message;
    }

    /**
     * Returns the features the backend advertised last.
     *
     * @return an immutable set, empty before the first report
     */
    public synchronized Set<String> features() {
        return features;
    }

    /**
     * Returns the concurrency limit the backend set last.
     *
     * @return the limit; 1 before the first report
     */
    public synchronized int maxUsages() {
        return maxUsages;
    }

    /**
     * Returns whether the backend last said it can load models.
     *
     * @return the flag; true before the first report
     */
    public synchronized boolean canLoadModels() {
        return canLoadModels;
    }

    /**
     * Returns the model the backend last reported as loaded.
     *
     * @return the model, or empty when none was reported or it was reset to null
     */
    public synchronized Optional<String> currentModel() {
        return Optional.ofNullable(currentModel);
    }

    /**
     * Returns the models the backend last reported, per kind.
     *
     * @return the lists; kinds never reported are absent
     */
    public synchronized Map<ModelType, List<String>> models() {
        return models;
    }

    /**
     * Returns the node types the backend last reported.
     *
     * @return the names, empty until reported
     */
    public synchronized Set<String> nodeTypes() {
        return nodeTypes;
    }

    /**
     * Stops the scheduler (cancelling its tasks, interrupting the running one), marks the instance not current,
     * deletes the work directory.
     */
    @Override
    public void close() {
        markNotCurrent();
        scheduler.shutdownNow();
        workDirectory.close();
    }
}
