package dev.switchboard.server.backends;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.PluginCallException;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.plugins.RegisteredBackendType;
import dev.switchboard.server.secrets.SecretValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations the API offers on backends: add, edit, delete, toggle, restart and free memory. Every change
 * to a real backend is written to the store durably before it takes effect in memory, so a change the API
 * acknowledged survives a crash, and a change the store refused changes nothing.
 *
 * <p>Locking: each record's operation lock serializes all work on that one backend, including the write of its
 * change; the registry's lock serializes id allocation and changes to the set, and is never held while a change
 * is written, so concurrent changes share one write (group commit). An id being added or moved to is reserved
 * until its write ends. Order: operation lock, then registry lock, then a record's monitor.
 */
public final class BackendOperations {
    private static final Logger LOG = LoggerFactory.getLogger(BackendOperations.class);

    private final BackendRegistry registry;
    private final BackendLifecycle lifecycle;
    private final BackendPersistence persistence;
    private final BackendTypeRegistry types;
    private final PluginCallRunner runner;
    private final LifecycleOptions options;

    BackendOperations(BackendRegistry registry, BackendLifecycle lifecycle, BackendPersistence persistence,
                      BackendTypeRegistry types, PluginCallRunner runner, LifecycleOptions options) {
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.persistence = persistence;
        this.types = types;
        this.runner = runner;
        this.options = options;
    }

    /** Adds a backend of the given type with default settings and starts initialising it. */
    public BackendSnapshot add(String typeId) throws BackendOperationException {
        RegisteredBackendType type = types.find(typeId)
                .orElseThrow(() -> new BackendOperationException("Invalid backend type: " + typeId));
        registry.checkOpen();
        int id = registry.reserveNewId();
        BackendRecord record = registry.newRecord(type, id, true, null, null, "", true,
                type.schema().defaults());
        try {
            persistence.added(record, record.settings());
        } catch (BackendOperationException | RuntimeException e) {
            registry.releaseReservation(id);
            throw e;
        }
        registry.registerReserved(record);
        LOG.info("Added {}", record);
        lifecycle.startInit(record);
        return record.snapshot(System.nanoTime());
    }

    /**
     * Replaces a backend's title and settings, optionally moving it to a new id, then restarts it. Everything is
     * validated first: a refused edit changes nothing and leaves the backend running.
     */
    public BackendSnapshot edit(int id, BackendEdit edit) throws BackendOperationException {
        requireNonNull(edit, "edit is null");
        int targetId = edit.newId() == id ? -1 : edit.newId();
        if (targetId >= 0) {
            registry.checkFree(targetId);
        }
        BackendRecord record = registry.existing(id);
        registry.checkOpen();
        record.operationLock.lock();
        try {
            if (registry.record(id) != record) {
                throw new BackendOperationException("Invalid backend ID " + id);
            }
            if (targetId >= 0 && !record.real) {
                throw new BackendOperationException("Backend " + id + " is a non-real backend managed by backend "
                        + record.parentId().orElse(0) + "; it cannot be given a new id.");
            }
            Settings merged = edit.settings().applyTo(record.settings());
            validateWithType(record.type, merged);
            int finalId = targetId >= 0 ? targetId : id;
            if (targetId >= 0) {
                registry.reserve(targetId);
            }
            try {
                if (record.real) {
                    persistence.edited(record, id, finalId, edit.title(), record.enabled(), merged);
                }
            } catch (BackendOperationException | RuntimeException e) {
                registry.releaseReservation(targetId);
                throw e;
            }
            registry.applyEdit(record, finalId, edit.title(), merged);
            LOG.info("Edited {}", record);
            restartLocked(record, "Applying new settings.");
            return record.snapshot(System.nanoTime());
        } finally {
            record.operationLock.unlock();
        }
    }

    /** Deletes a backend (or a kept entry whose type is unavailable). Returns SwarmUI's result text. */
    public String delete(int id) throws BackendOperationException {
        BackendRecord record = registry.record(id);
        if (record == null) {
            return deleteUnloaded(id) ? "Deleted." : "Already didn't exist.";
        }
        registry.checkOpen();
        record.operationLock.lock();
        try {
            // The operation lock keeps this record at this id; only its own operations move or remove it.
            if (registry.record(id) != record) {
                return "Already didn't exist.";
            }
            if (record.real) {
                persistence.removed(id);
            }
            registry.remove(id, record);
            LOG.info("Deleted {}", record);
            lifecycle.stop(record, false, "Deleted.", options.usageDrainTimeout());
            return "Deleted.";
        } finally {
            record.operationLock.unlock();
        }
    }

    /** Enables or disables a backend. Returns SwarmUI's result text. */
    public String toggle(int id, boolean enabled) throws BackendOperationException {
        BackendRecord record = registry.existing(id);
        registry.checkOpen();
        record.operationLock.lock();
        try {
            if (record.enabled() == enabled) {
                return "No change.";
            }
            if (registry.record(id) != record) {
                throw new BackendOperationException("Invalid backend ID " + id);
            }
            if (record.real) {
                persistence.toggled(record, enabled);
            }
            record.setEnabled(enabled);
            LOG.info("{} {}", enabled ? "Enabled" : "Disabled", record);
            // Disabling an errored backend keeps it errored (SwarmUI does the same), so the reason stays visible.
            lifecycle.stop(record, true, "Disabled.", options.usageDrainTimeout());
            if (enabled) {
                lifecycle.startInit(record);
            }
            return "Success.";
        } finally {
            record.operationLock.unlock();
        }
    }

    /**
     * Restarts the selected backends ({@code "all"} or an id's exact decimal text) that are running or
     * errored; returns how many were restarted.
     */
    public int restart(String selector) throws BackendOperationException {
        registry.checkOpen();
        int count = 0;
        for (BackendRecord record : registry.records()) {
            if (!selects(selector, record)) {
                continue;
            }
            record.operationLock.lock();
            try {
                if (registry.record(record.id()) != record) {
                    continue;
                }
                BackendStatus status = record.status();
                if (status != BackendStatus.RUNNING && status != BackendStatus.ERRORED) {
                    continue;
                }
                LOG.info("Restarting {}", record);
                restartLocked(record, "Restarting.");
                count++;
            } finally {
                record.operationLock.unlock();
            }
        }
        return count;
    }

    /** Asks the selected running backends to free memory, concurrently; counts those that did. */
    public FreeMemoryResult freeMemory(String selector, boolean systemRam) {
        List<BackendRecord> targets = new ArrayList<>();
        List<PluginCallRunner.PluginCall<Boolean>> calls = new ArrayList<>();
        for (BackendRecord record : registry.records()) {
            Backend instance = selects(selector, record) ? record.runningInstance() : null;
            if (instance != null) {
                targets.add(record);
                calls.add(runner.submit(record.type.classLoader(), () -> instance.freeMemory(systemRam)));
            }
        }
        if (targets.isEmpty()) {
            return new FreeMemoryResult(false, 0);
        }
        int freed = 0;
        long deadline = System.nanoTime() + options.freeMemoryTimeout().toNanos();
        for (int i = 0; i < calls.size(); i++) {
            Duration remaining = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            try {
                if (Boolean.TRUE.equals(calls.get(i).await("Freeing memory", remaining))) {
                    freed++;
                }
            } catch (PluginCallException e) {
                LOG.warn("{} could not free memory: {}", targets.get(i), e.getMessage());
            }
        }
        return new FreeMemoryResult(true, freed);
    }

    /**
     * Asks every running generating backend to read its engine's lists again (TriggerRefresh), concurrently and
     * under the short-call deadline; returns how many did.
     */
    public int refreshModels() {
        List<BackendRecord> targets = new ArrayList<>();
        List<PluginCallRunner.PluginCall<Boolean>> calls = new ArrayList<>();
        for (BackendRecord record : registry.records()) {
            if (record.runningInstance() instanceof ImageGenerator generator) {
                targets.add(record);
                calls.add(runner.submit(record.type.classLoader(), () -> {
                    generator.refreshModels();
                    return Boolean.TRUE;
                }));
            }
        }
        int refreshed = 0;
        long deadline = System.nanoTime() + options.callTimeout().toNanos();
        for (int i = 0; i < calls.size(); i++) {
            try {
                calls.get(i).await("Refreshing models", Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                refreshed++;
            } catch (PluginCallException e) {
                LOG.warn("{} could not refresh its models: {}", targets.get(i), e.getMessage());
            }
        }
        return refreshed;
    }

    /**
     * Loads a model on a backend now (SelectModel): it must be running, generate and list the model; its
     * generator's {@code loadModel} runs under the short-call deadline, and on success the model becomes the
     * backend's current one.
     *
     * @return whether the backend took it
     */
    public boolean selectModel(int id, String model) {
        BackendRecord record = registry.record(id);
        if (record == null || !(record.runningInstance() instanceof ImageGenerator generator)) {
            return false;
        }
        List<String> listed = record.snapshot(System.nanoTime()).models().get(ModelType.STABLE_DIFFUSION);
        if (listed != null && !listed.contains(model)) {
            return false;
        }
        try {
            if (!Boolean.TRUE.equals(runner.call(record.type.classLoader(), "Loading the model", options.callTimeout(),
                    () -> generator.loadModel(model)))) {
                return false;
            }
        } catch (PluginCallException e) {
            LOG.warn("{} could not load {}: {}", record, model, e.getMessage());
            return false;
        }
        record.setCurrentModel(model);
        return true;
    }

    private void restartLocked(BackendRecord record, String message) {
        lifecycle.stop(record, false, message, options.usageDrainTimeout());
        lifecycle.startInit(record);
    }

    private void validateWithType(RegisteredBackendType type, Settings settings) throws BackendOperationException {
        List<SettingIssue> issues;
        try {
            issues = runner.call(type.classLoader(), "Validating settings", options.callTimeout(),
                    () -> type.type().validate(settings));
        } catch (PluginCallException e) {
            throw new BackendOperationException(registry.redactor().redact("Could not validate the settings: "
                    + e.getMessage(), SecretValues.of(settings)));
        }
        if (issues != null && !issues.isEmpty()) {
            SettingIssue issue = issues.get(0);
            // A plugin may quote the value it refuses: the new settings' secrets are kept out of the answer too.
            throw new BackendOperationException(registry.redactor().redact("Invalid value for setting '"
                    + issue.setting() + "': " + issue.message(), SecretValues.of(settings)));
        }
    }

    private boolean deleteUnloaded(int id) throws BackendOperationException {
        // Rare enough to hold the registry lock across the write, which keeps a second delete out.
        boolean removed = registry.removeUnloaded(id, () -> {
            registry.checkOpen();
            persistence.removed(id);
        });
        if (removed) {
            LOG.info("Deleted the unloaded backend entry {}", id);
        }
        return removed;
    }

    private static boolean selects(String selector, BackendRecord record) {
        return "all".equals(selector) || Integer.toString(record.id()).equals(selector);
    }
}
