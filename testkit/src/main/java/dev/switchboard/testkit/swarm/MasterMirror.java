package dev.switchboard.testkit.swarm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What a simulated master's control knows of its remote: the running remote backends, each mirrored by a
 * {@link MasterChild}, and the remote's model files per sub-type (one list shared by every child, as on a master).
 *
 * @since 1.0
 */
public final class MasterMirror {
    private final MasterSimulator master;
    private final MasterSession session;
    private final Map<Integer, MasterChild> children = new LinkedHashMap<>();
    private final Map<String, List<JsonObject>> models = new LinkedHashMap<>();

    MasterMirror(MasterSimulator master) {
        this.master = master;
        this.session = new MasterSession(master, () -> resync(true));
    }

    /** @return the children, in the remote's order */
    public List<MasterChild> children() {
        return List.copyOf(children.values());
    }

    /**
     * Returns the child mirroring a remote backend.
     *
     * @param remoteId the remote backend's id
     * @return the child
     * @throws AssertionError when the remote backend is not mirrored (not running)
     */
    public MasterChild child(int remoteId) {
        MasterChild child = children.get(remoteId);
        if (child == null) {
            throw new AssertionError("the master mirrors no remote backend " + remoteId + "; it mirrors "
                    + children.keySet());
        }
        return child;
    }

    /**
     * Returns the model files of a sub-type as the remote listed them (the master keeps the whole objects).
     *
     * @param subtype e.g. {@code Stable-Diffusion}
     * @return the file objects
     */
    public List<JsonObject> modelFiles(String subtype) {
        return List.copyOf(models.getOrDefault(subtype, List.of()));
    }

    /**
     * Returns the model names of a sub-type: what the master's matcher compares requests against.
     *
     * @param subtype e.g. {@code LoRA}
     * @return the names
     */
    public List<String> modelNames(String subtype) {
        return modelFiles(subtype).stream().map(file -> file.get("name").getAsString()).toList();
    }

    /** @return the control's session on the remote */
    public String session() {
        return session.id();
    }

    /**
     * The master's model refresh: {@code TriggerRefresh} (OLD masters post {@code /TriggerRefresh}), its answer only
     * parsed, then a full re-sync of the control and a re-sync of each child.
     */
    public void refresh() {
        JsonObject params = new JsonObject();
        params.addProperty("session_id", session.id());
        String path = master.version() == MasterSimulator.Version.OLD ? "/TriggerRefresh" : "/API/TriggerRefresh";
        MasterJson.object("TriggerRefresh", master.post(path, params));
        resync(true);
        for (MasterChild child : children.values()) {
            child.resync();
        }
    }

    /** The control's re-sync: its backends, and with {@code full} the model lists. */
    void resync(boolean full) {
        JsonObject params = new JsonObject();
        params.addProperty("nonreal", true);
        params.addProperty("full_data", true);
        JsonObject answer = session.call("ListBackends", params);
        String error = MasterJson.error(answer);
        if (error != null) {
            throw new MasterRejection("ListBackends: " + error + " (the master's re-sync fails)");
        }
        Set<Integer> running = new HashSet<>();
        for (Map.Entry<String, JsonElement> entry : answer.entrySet()) {
            JsonObject view = MasterJson.objectField("ListBackends", answer, entry.getKey());
            String call = "ListBackends entry " + entry.getKey();
            String status = MasterJson.string(call, view, "status");
            int id = MasterJson.integer(call, view, "id");
            if (!status.equals("running")) {
                continue;
            }
            RemoteEntry remote = RemoteEntry.read(call, view);
            running.add(id);
            MasterChild child = children.get(id);
            if (child == null) {
                // AllowForwarding is on by default: the remote's own Swarm backends are mirrored too.
                child = new MasterChild(master, remote);
                children.put(id, child);
                child.init();
            } else {
                child.update(remote);
            }
        }
        children.keySet().retainAll(running);
        if (full) {
            listModels();
        }
    }

    /** The seven ListModels, sent at once as a master sends them. */
    private void listModels() {
        Map<String, CompletableFuture<HttpResponse<String>>> calls = new LinkedHashMap<>();
        for (String subtype : MasterSimulator.SUBTYPES) {
            JsonObject params = new JsonObject();
            params.addProperty("session_id", session.id());
            params.addProperty("path", "");
            params.addProperty("subtype", subtype);
            if (master.version() == MasterSimulator.Version.CUR) {
                params.addProperty("depth", 999);
                params.addProperty("allowRemote", true);
                params.addProperty("dataImages", true);
            } else {
                params.addProperty("depth", 10);
            }
            calls.put(subtype, master.postAsync("/API/ListModels", params));
        }
        for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> call : calls.entrySet()) {
            String name = "ListModels " + call.getKey();
            JsonObject answer = MasterJson.object(name, MasterSimulator.await(call.getValue()));
            JsonElement files = answer.get("files");
            if (files == null || !files.isJsonArray()) {
                // A master logs this and keeps no list for the sub-type; a remote must answer every sub-type.
                throw new MasterRejection(name + ": no 'files' array (the master logs 'Failed to get "
                        + call.getKey() + " models' and filters nothing by it): " + answer);
            }
            List<JsonObject> list = new ArrayList<>();
            for (JsonElement file : files.getAsJsonArray()) {
                if (!file.isJsonObject()) {
                    throw new MasterRejection(name + ": a file that is not an object: " + file);
                }
                list.add(ModelFile.check(name, file.getAsJsonObject()));
            }
            models.put(call.getKey(), list);
        }
    }

    /** The fields a master reads from a running entry of ListBackends, each of the JSON type it converts to. */
    record RemoteEntry(int id, String type, String title, List<String> features, int maxUsages,
                       boolean canLoadModels, String currentModel) {
        static RemoteEntry read(String call, JsonObject view) {
            return new RemoteEntry(MasterJson.integer(call, view, "id"), MasterJson.string(call, view, "type"),
                    MasterJson.string(call, view, "title"), MasterJson.strings(call, view, "features"),
                    MasterJson.integer(call, view, "max_usages"), MasterJson.bool(call, view, "can_load_models"),
                    MasterJson.optionalString(call, view, "current_model"));
        }
    }

    /** A model file object as a master materialises it: no null checks on three fields, tolerance for the rest. */
    static final class ModelFile {
        private ModelFile() {
        }

        static JsonObject check(String call, JsonObject file) {
            String name = MasterJson.string(call, file, "name");
            String where = call + " file '" + name + "'";
            MasterJson.bool(where, file, "loaded");
            MasterJson.integer(where, file, "standard_width");
            MasterJson.integer(where, file, "standard_height");
            for (String tolerant : List.of("title", "description", "preview_image", "architecture")) {
                MasterJson.optionalString(where, file, tolerant);
            }
            MasterJson.optionalBool(where, file, "is_supported_model_format");
            return file;
        }
    }
}
