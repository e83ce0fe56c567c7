package dev.switchboard.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.comfyui.ReceivedPrompt;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ComfyUIs of one page test: testkit's ComfyUI stand-ins (real HTTP and WebSocket on loopback, drawing real PNGs
 * whose pixels follow from the seed), each behind a {@code comfyui_api} backend of the server under test, and what a
 * test reads back from both. Closing it closes every stand-in it started.
 */
final class ComfyUis implements AutoCloseable {
    /** The checkpoint every stand-in lists first, as ComfyUI names it (and ListModels shows it). */
    static final String BASE = "sdxl/base.safetensors";
    /** A second checkpoint, for jobs that must load another model. */
    static final String OTHER = "sdxl/other.safetensors";

    private final SwarmApiClient api;
    private final List<ComfyUiStandIn> started = new ArrayList<>();

    ComfyUis(SwarmApiClient api) {
        this.api = api;
    }

    /** Starts a stand-in listing {@link #BASE} and {@link #OTHER} whose samplers take this long per step. */
    ComfyUiStandIn start(Duration stepTime) {
        ComfyUiStandIn comfy = ComfyUiStandIn.start();
        started.add(comfy);
        comfy.setModels("CheckpointLoaderSimple", List.of(BASE, OTHER));
        comfy.setStepTime(stepTime);
        return comfy;
    }

    /**
     * Adds a {@code comfyui_api} backend through the API, points it at the stand-in and waits until it runs.
     *
     * @param overQueue ComfyUI's {@code OverQueue}: 0 hands it one job at a time ({@code max_usages} is 1 + this)
     */
    int backend(String title, ComfyUiStandIn comfy, int overQueue) {
        int id = api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt();
        JsonObject edited = api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"" + title
                + "\",\"settings\":{\"Address\":\"" + comfy.baseUrl() + "\",\"OverQueue\":" + overQueue + "}}");
        assertThat(edited.has("error")).as("%s", edited).isFalse();
        await().atMost(BackendsPage.PATIENCE).until(() -> "running".equals(view(id).get("status").getAsString()));
        return id;
    }

    /** The backend as ListBackends shows it in full. */
    JsonObject view(int id) {
        return api.call("ListBackends", "{\"full_data\":true}").getAsJsonObject(Integer.toString(id));
    }

    int usages(int id) {
        return view(id).get("usages").getAsInt();
    }

    /** The inputs of one node of a graph ComfyUI received (SwarmUI's ids: {@code 10} is the sampler). */
    static JsonObject inputs(ReceivedPrompt prompt, String node) {
        return prompt.graph().getAsJsonObject(node).getAsJsonObject("inputs");
    }

    /** The seed the sampler of a received graph was given. */
    static long seed(ReceivedPrompt prompt) {
        return inputs(prompt, "10").get("noise_seed").getAsLong();
    }

    /** The graph without what differs on every job by design: the save node's random file name prefix. */
    static JsonObject withoutFilePrefix(ReceivedPrompt prompt) {
        JsonObject graph = prompt.graph();
        graph.getAsJsonObject("9").getAsJsonObject("inputs").remove("filename_prefix");
        return graph;
    }

    @Override
    public void close() {
        started.forEach(ComfyUiStandIn::close);
    }
}
