package dev.switchboard.plugins.comfyui.generation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** What a job's {@link JobSocket} tells the job's thread, in arrival order. */
sealed interface SocketEvent {

    /** A JSON text message. */
    record Text(JsonObject message) implements SocketEvent {
        String type() {
            JsonElement type = message.get("type");
            return type != null && type.isJsonPrimitive() ? type.getAsString() : "";
        }

        JsonObject data() {
            return message.has("data") && message.get("data").isJsonObject() ? message.getAsJsonObject("data")
                    : new JsonObject();
        }
    }

    /** A binary message. */
    record Binary(byte[] data) implements SocketEvent {
    }

    /** The socket ended: closed by ComfyUI, broken, aborted, or a message was too large; {@code why} says which. */
    record Ended(String why) implements SocketEvent {
    }

    /** The job was cancelled. */
    record Cancelled() implements SocketEvent {
    }
}
