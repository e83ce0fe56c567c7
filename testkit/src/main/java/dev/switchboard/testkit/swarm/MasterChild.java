package dev.switchboard.testkit.swarm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A simulated master's child: one running remote backend, mirrored with its own session, as a master's child loads
 * models on it and sends it generations (generation.md 1.2-1.4).
 *
 * @since 1.0
 */
public final class MasterChild {
    private final MasterSimulator master;
    private MasterMirror.RemoteEntry remote;
    private MasterSession session;
    private List<String> nodeTypes;
    private String nodeTypesError;
    private JsonObject objectInfo;
    private String lastSelectError;

    MasterChild(MasterSimulator master, MasterMirror.RemoteEntry remote) {
        this.master = master;
        this.remote = remote;
    }

    /** The child's init: its own session, a re-sync, and once for a ComfyUI remote backend its object_info. */
    void init() {
        session = new MasterSession(master, this::resync);
        resync();
        if (isComfy()) {
            String call = "GET /ComfyBackendDirect/object_info";
            objectInfo = MasterJson.object(call, master.get("/ComfyBackendDirect/object_info",
                    Map.of("X-Swarm-Backend-ID", Integer.toString(remote.id()))));
        }
    }

    /** The child's (non-full) re-sync: ListBackends, its own entry, then a ComfyUI remote backend's node types. */
    void resync() {
        JsonObject params = new JsonObject();
        params.addProperty("nonreal", true);
        params.addProperty("full_data", true);
        JsonObject answer = session.call("ListBackends", params);
        String error = MasterJson.error(answer);
        if (error != null) {
            throw new MasterRejection("ListBackends (child " + remote.id() + "): " + error);
        }
        JsonElement own = answer.get(Integer.toString(remote.id()));
        if (own != null && own.isJsonObject()) {
            String call = "ListBackends entry " + remote.id();
            if (MasterJson.string(call, own.getAsJsonObject(), "status").equals("running")) {
                remote = MasterMirror.RemoteEntry.read(call, own.getAsJsonObject());
            }
        }
        if (isComfy()) {
            JsonObject body = new JsonObject();
            body.addProperty("backend", remote.id());
            JsonObject types = session.call("ComfyGetNodeTypesForBackend", body);
            nodeTypesError = MasterJson.error(types);
            // A failure is only logged by a master: the child keeps no node types (or its earlier ones).
            if (nodeTypesError == null) {
                nodeTypes = MasterJson.strings("ComfyGetNodeTypesForBackend", types, "node_types");
            }
        }
    }

    void update(MasterMirror.RemoteEntry entry) {
        remote = entry;
    }

    /** @return the linked remote backend's id */
    public int remoteId() {
        return remote.id();
    }

    /** @return the remote backend's type, e.g. {@code comfyui_api} */
    public String type() {
        return remote.type();
    }

    /** @return the remote backend's title */
    public String title() {
        return remote.title();
    }

    /** @return the features the master's matcher checks requests against */
    public List<String> features() {
        return remote.features();
    }

    /** @return how many generations the master sends this child at once */
    public int maxUsages() {
        return remote.maxUsages();
    }

    /** @return whether the master dispatches to this child at all */
    public boolean canLoadModels() {
        return remote.canLoadModels();
    }

    /** @return the model the master believes loaded, or null */
    public String currentModel() {
        return remote.currentModel();
    }

    /** @return the node types stored for a ComfyUI remote backend, or null when none were read */
    public List<String> nodeTypes() {
        return nodeTypes;
    }

    /** @return the error ComfyGetNodeTypesForBackend answered (a master logs it), or null */
    public String nodeTypesError() {
        return nodeTypesError;
    }

    /** @return the object_info read when the child was made (ComfyUI remote backends only), or null */
    public JsonObject objectInfo() {
        return objectInfo;
    }

    /** @return this child's session on the remote */
    public String session() {
        return session.id();
    }

    /** @return the remote's error at the last refused SelectModel ({@code Remote swarm gave error: ...}), or null */
    public String lastSelectError() {
        return lastSelectError;
    }

    /**
     * Loads a model as a master's dispatcher does before a generation: {@code SelectModel {model, backendId}} with
     * the name as listed and the linked id as a JSON integer; success only with {@code success: true}, after which
     * the master records the model as loaded.
     *
     * @param model the model name as the remote listed it
     * @return whether the remote loaded it
     */
    public boolean selectModel(String model) {
        JsonObject params = new JsonObject();
        params.addProperty("model", model);
        params.addProperty("backendId", remote.id());
        JsonObject answer = session.call("SelectModel", params);
        lastSelectError = MasterJson.error(answer);
        JsonElement success = answer.get("success");
        boolean loaded = lastSelectError == null && success != null && success.isJsonPrimitive()
                && success.getAsJsonPrimitive().isBoolean() && success.getAsBoolean();
        if (loaded) {
            remote = new MasterMirror.RemoteEntry(remote.id(), remote.type(), remote.title(), remote.features(),
                    remote.maxUsages(), remote.canLoadModels(), model);
        }
        return loaded;
    }

    /**
     * Generates as a master does: SelectModel first when the model differs from the one loaded (unless the
     * parameters hold {@code noloadmodels}), then the WebSocket conversation.
     *
     * @param parameters the master's per-image parameters by id (the model as listed, extension included)
     * @return what came
     * @throws MasterRejection when the remote answered what a master rejects
     */
    public MasterGeneration generate(JsonObject parameters) {
        return generate(parameters, message -> false);
    }

    /**
     * Generates, and from the first message that matches {@code interruptAfter} on acts as a master whose user
     * interrupted: InterruptAll before each further receive, and the stream must end promptly.
     *
     * @param parameters the master's per-image parameters by id
     * @param interruptAfter the message after which the user interrupts
     * @return what came
     */
    public MasterGeneration generate(JsonObject parameters, Predicate<JsonObject> interruptAfter) {
        MasterGeneration refused = loadFirst(parameters);
        if (refused != null) {
            return refused;
        }
        for (int renewals = 0; ; renewals++) {
            JsonObject request = MasterRequest.body(parameters, session.id(), remote.id(), master.version());
            MasterGeneration generation = new MasterSocket(master, session, request, interruptAfter).run();
            if (!generation.sessionRefused()) {
                if (!generation.images().isEmpty()) {
                    rememberModel(parameters);
                }
                return generation;
            }
            // The whole generation again on a new socket, with a new session.
            session.renew("GenerateText2ImageWS", renewals);
        }
    }

    /**
     * Generates over HTTP, as a master with {@code AllowWebsocket} off does ({@code GenerateText2Image}).
     *
     * @param parameters the master's per-image parameters by id
     * @return what came
     */
    public MasterGeneration generateOverHttp(JsonObject parameters) {
        MasterGeneration refused = loadFirst(parameters);
        if (refused != null) {
            return refused;
        }
        JsonObject request = MasterRequest.body(parameters, session.id(), remote.id(), master.version());
        request.remove("session_id");
        JsonObject answer = session.call("GenerateText2Image", request);
        return MasterGeneration.overHttp(request, answer);
    }

    /**
     * Frees memory as a master's child does: {@code FreeBackendMemory {system_ram, backend:"<id>"}}.
     *
     * @param systemRam whether system RAM too
     * @return the remote's {@code result}
     */
    public boolean freeMemory(boolean systemRam) {
        JsonObject params = new JsonObject();
        params.addProperty("system_ram", systemRam);
        params.addProperty("backend", Integer.toString(remote.id()));
        JsonObject answer = session.call("FreeBackendMemory", params);
        String error = MasterJson.error(answer);
        if (error != null) {
            throw new MasterRejection("FreeBackendMemory: " + error);
        }
        return MasterJson.bool("FreeBackendMemory", answer, "result");
    }

    private MasterGeneration loadFirst(JsonObject parameters) {
        JsonElement model = parameters.get("model");
        JsonElement noLoad = parameters.get("noloadmodels");
        if (model == null || !model.isJsonPrimitive() || sameModel(remote.currentModel(), model.getAsString())
                || noLoad != null && noLoad.isJsonPrimitive() && noLoad.getAsBoolean()) {
            return null;
        }
        if (selectModel(model.getAsString())) {
            return null;
        }
        return MasterGeneration.refused("All available backends failed to load the model '" + model.getAsString()
                + "'. Possible reason: " + lastSelectError);
    }

    private void rememberModel(JsonObject parameters) {
        JsonElement model = parameters.get("model");
        if (model != null && model.isJsonPrimitive()) {
            remote = new MasterMirror.RemoteEntry(remote.id(), remote.type(), remote.title(), remote.features(),
                    remote.maxUsages(), remote.canLoadModels(), model.getAsString());
        }
    }

    private boolean isComfy() {
        return remote.type().startsWith("comfyui_");
    }

    /** The master compares names with and without {@code .safetensors}. */
    private static boolean sameModel(String loaded, String wanted) {
        return loaded != null
                && MasterRequest.withoutSafetensors(loaded).equals(MasterRequest.withoutSafetensors(wanted));
    }
}
