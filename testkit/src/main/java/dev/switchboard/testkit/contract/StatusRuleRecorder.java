package dev.switchboard.testkit.contract;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.ChildBackends;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;

/**
 * A {@link BackendContext} that passes everything to a testing context and also remembers every attempt to set
 * a status the host owns ({@code WAITING}, {@code ERRORED}). The testing context refuses such an attempt with an
 * exception, as the host does, but a backend may make it on one of its own threads and swallow the exception;
 * this record still shows it.
 */
final class StatusRuleRecorder implements BackendContext {
    private final BackendContext delegate;
    private final List<BackendStatus> illegalAttempts = new CopyOnWriteArrayList<>();

    StatusRuleRecorder(BackendContext delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    List<BackendStatus> illegalAttempts() {
        return List.copyOf(illegalAttempts);
    }

    @Override
    public void setStatus(BackendStatus status, String message) {
        if (status != null && !status.settableByBackend()) {
            illegalAttempts.add(status);
        }
        delegate.setStatus(status, message);
    }

    @Override
    public int backendId() {
        return delegate.backendId();
    }

    @Override
    public OptionalInt parentId() {
        return delegate.parentId();
    }

    @Override
    public String title() {
        return delegate.title();
    }

    @Override
    public Settings settings() {
        return delegate.settings();
    }

    @Override
    public BackendStatus status() {
        return delegate.status();
    }

    @Override
    public void setStatusMessage(String message) {
        delegate.setStatusMessage(message);
    }

    @Override
    public void setFeatures(Set<String> features) {
        delegate.setFeatures(features);
    }

    @Override
    public void setModels(Map<ModelType, ? extends Collection<String>> models) {
        delegate.setModels(models);
    }

    @Override
    public void setNodeTypes(Set<String> nodeTypes) {
        delegate.setNodeTypes(nodeTypes);
    }

    @Override
    public void setMaxUsages(int maxUsages) {
        delegate.setMaxUsages(maxUsages);
    }

    @Override
    public void setCanLoadModels(boolean canLoadModels) {
        delegate.setCanLoadModels(canLoadModels);
    }

    @Override
    public void setCurrentModel(String model) {
        delegate.setCurrentModel(model);
    }

    @Override
    public void fail(String reason) {
        delegate.fail(reason);
    }

    @Override
    public void appendOutput(String line) {
        delegate.appendOutput(line);
    }

    @Override
    public Duration startTimeout() {
        return delegate.startTimeout();
    }

    @Override
    public Logger logger() {
        return delegate.logger();
    }

    @Override
    public Path workDirectory() {
        return delegate.workDirectory();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return delegate.scheduler();
    }

    @Override
    public ChildBackends children() {
        return delegate.children();
    }

    @Override
    public boolean isCurrent() {
        return delegate.isCurrent();
    }

    @Override
    public String serverId() {
        return delegate.serverId();
    }

    @Override
    public String serverVersion() {
        return delegate.serverVersion();
    }
}
