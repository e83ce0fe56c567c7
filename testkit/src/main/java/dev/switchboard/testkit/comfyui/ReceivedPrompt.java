package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;

/**
 * A prompt the {@link ComfyUiStandIn} accepted on {@code POST /prompt}.
 *
 * @param promptId the id it was given (the client's {@code prompt_id} when it sent one, as ComfyUI does)
 * @param clientId the {@code client_id} of the request, or an empty string when there was none
 * @param graph the API-format graph as received (a copy)
 */
public record ReceivedPrompt(String promptId, String clientId, JsonObject graph) {
    /**
     * Checks the fields and copies the graph.
     *
     * @param promptId the prompt id, never null
     * @param clientId the client id, never null
     * @param graph the graph, never null
     */
    public ReceivedPrompt {
        requireNonNull(promptId, "promptId is null");
        requireNonNull(clientId, "clientId is null");
        graph = requireNonNull(graph, "graph is null").deepCopy();
    }

    /** @return a copy of the graph, which callers may change */
    @Override
    public JsonObject graph() {
        return graph.deepCopy();
    }
}
