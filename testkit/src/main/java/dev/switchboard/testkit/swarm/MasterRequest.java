package dev.switchboard.testkit.swarm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The body a master forwards to a child's remote for one image (generation.md 1.3): the per-image parameters with
 * {@code images} 1, the session, {@code donotsave}, the incoming {@code exactbackendid} and {@code internalbackendtype}
 * replaced by the linked remote id as a JSON integer, {@code forwardswarmdata} (CUR only), and the model without
 * {@code .safetensors}.
 */
final class MasterRequest {
    private static final String SAFETENSORS = ".safetensors";

    private MasterRequest() {
    }

    static JsonObject body(JsonObject parameters, String session, int remoteId, MasterSimulator.Version version) {
        JsonObject body = parameters.deepCopy();
        body.addProperty("images", 1);
        body.addProperty("session_id", session);
        body.addProperty("donotsave", true);
        body.remove("exactbackendid");
        body.remove("internalbackendtype");
        body.addProperty("exactbackendid", remoteId);
        if (version == MasterSimulator.Version.CUR) {
            body.addProperty("forwardswarmdata", true);
        }
        JsonElement model = body.get("model");
        if (model != null && model.isJsonPrimitive()) {
            body.addProperty("model", withoutSafetensors(model.getAsString()));
        }
        return body;
    }

    static String withoutSafetensors(String model) {
        return model.endsWith(SAFETENSORS) ? model.substring(0, model.length() - SAFETENSORS.length()) : model;
    }
}
