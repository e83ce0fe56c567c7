package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.api.generation.ModelType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;

/**
 * What the remote can use, read as a SwarmUI master reads it on a full re-sync (generation.md 1.2): one
 * {@code ListModels} per model kind ({@code depth} 999, {@code allowRemote} = {@code AllowForwarding}), whose file
 * names become every child's list of that kind, and {@code ComfyGetNodeTypesForBackend} for children of ComfyUI
 * remote backends. As on a master, a kind the remote fails to list keeps its previous list (none at first: the host
 * then does not filter by that kind) and the failure is only logged; a remote that cannot be reached fails the whole
 * read. Not thread-safe: the control calls it from its one re-sync at a time.
 */
final class RemoteCatalog {
    private final RemoteSession session;
    private final boolean allowForwarding;
    private final Logger logger;
    private final Map<ModelType, List<String>> lists = new EnumMap<>(ModelType.class);
    /** The last failure logged per kind, so a remote that keeps failing is not logged every re-sync. */
    private final Map<ModelType, String> failures = new HashMap<>();

    RemoteCatalog(RemoteSession session, boolean allowForwarding, Logger logger) {
        this.session = requireNonNull(session, "session is null");
        this.allowForwarding = allowForwarding;
        this.logger = requireNonNull(logger, "logger is null");
    }

    /**
     * Reads every kind's list again.
     *
     * @return the lists of the kinds the remote listed, now or before
     * @throws RemoteSwarmException when the remote could not be reached (or the backend is shutting down)
     */
    Map<ModelType, List<String>> refresh() throws RemoteSwarmException, InterruptedException {
        for (ModelType type : ModelType.values()) {
            JsonObject params = new JsonObject();
            params.addProperty("path", "");
            params.addProperty("depth", 999);
            params.addProperty("subtype", type.wireName());
            params.addProperty("allowRemote", allowForwarding);
            // SwarmUI's master asks for preview images too; only the names are used here, and previews of a large
            // model folder would make the answer megabytes long.
            params.addProperty("dataImages", false);
            try {
                lists.put(type, names(session.call("ListModels", params)));
                failures.remove(type);
            } catch (RemoteSwarmException e) {
                if (!recoverable(e)) {
                    throw e;
                }
                if (!Objects.equals(failures.put(type, e.getMessage()), e.getMessage())) {
                    logger.warn("Could not list the {} models of the Swarm server at {}: {}", type.wireName(),
                            session.address(), e.getMessage());
                }
            }
        }
        return Map.copyOf(lists);
    }

    /**
     * Reads the node types of a remote ComfyUI backend.
     *
     * @return the node types, or null when the remote would not tell
     * @throws RemoteSwarmException when the remote could not be reached
     */
    Set<String> nodeTypes(int remoteId) throws RemoteSwarmException, InterruptedException {
        JsonObject params = new JsonObject();
        params.addProperty("backend", remoteId);
        try {
            JsonElement types = session.call("ComfyGetNodeTypesForBackend", params).get("node_types");
            if (types == null || !types.isJsonArray()) {
                return null;
            }
            Set<String> names = new LinkedHashSet<>();
            types.getAsJsonArray().forEach(type -> {
                if (type.isJsonPrimitive()) {
                    names.add(type.getAsString());
                }
            });
            return names;
        } catch (RemoteSwarmException e) {
            if (!recoverable(e)) {
                throw e;
            }
            logger.warn("Could not read the node types of backend {} of the Swarm server at {}: {}", remoteId,
                    session.address(), e.getMessage());
            return null;
        }
    }

    private static boolean recoverable(RemoteSwarmException e) {
        return e.kind() == RemoteSwarmException.Kind.REMOTE_ERROR || e.kind() == RemoteSwarmException.Kind.BAD_ANSWER;
    }

    private List<String> names(JsonObject answer) throws RemoteSwarmException {
        JsonElement files = answer.get("files");
        if (files == null || !files.isJsonArray()) {
            throw new RemoteSwarmException(RemoteSwarmException.Kind.BAD_ANSWER, "Remote Swarm server at "
                    + session.address() + " answered ListModels without files.", null);
        }
        List<String> names = new ArrayList<>();
        for (JsonElement file : files.getAsJsonArray()) {
            JsonElement name = file.isJsonObject() ? file.getAsJsonObject().get("name") : null;
            if (name != null && name.isJsonPrimitive()) {
                names.add(name.getAsString());
            }
        }
        return names;
    }
}
