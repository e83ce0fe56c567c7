package dev.switchboard.server.backends;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.Settings;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An immutable, consistent picture of one backend, taken under its lock; what routes render.
 *
 * @param usedAgoMillis milliseconds since the last claim or release, or -1 when never used
 * @param usages how many jobs hold one of its slots now (at most {@code maxUsages})
 * @param generates whether its current instance makes images
 * @param models the model names it reported, per kind
 * @param nodeTypes the node types it reported (engines that run graphs)
 */
public record BackendSnapshot(
        int id,
        String typeId,
        String typeName,
        boolean imageBackend,
        BackendStatus status,
        String statusMessage,
        Settings settings,
        int modcount,
        Set<String> features,
        boolean enabled,
        String title,
        int maxUsages,
        long usedAgoMillis,
        boolean canLoadModels,
        String currentModel,
        boolean real,
        OptionalInt parentId,
        int usages,
        boolean generates,
        Map<ModelType, List<String>> models,
        Set<String> nodeTypes) {

    /**
     * Returns this snapshot with another time since use; the view cache keys on snapshots with it zeroed,
     * as that one field changes with the clock alone.
     *
     * @param millis milliseconds since the last use, or -1 for never
     * @return the copy
     */
    public BackendSnapshot withUsedAgoMillis(long millis) {
        return new BackendSnapshot(id, typeId, typeName, imageBackend, status, statusMessage, settings, modcount,
                features, enabled, title, maxUsages, millis, canLoadModels, currentModel, real, parentId, usages, generates, models, nodeTypes);
    }
}
