package dev.switchboard.testkit.sdwebui;

import static java.util.Objects.requireNonNull;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small, real HTTP server on the loopback interface that answers like AUTOMATIC1111's Stable Diffusion WebUI
 * started with {@code --api}: {@code GET /sdapi/v1/options} (with {@code sd_model_checkpoint}),
 * {@code POST /sdapi/v1/options} (switches the checkpoint; an unknown one is refused with HTTP 500 as SD-WebUI
 * does), {@code GET /sdapi/v1/samplers} and {@code GET /sdapi/v1/sd-models}, with the JSON shapes of SD-WebUI's
 * {@code modules/api/models.py}. Anything else is a 404 {@code {"detail":"Not Found"}}, which is also what every
 * {@code /sdapi/} route answers while {@link #setApiEnabled(boolean) the API is off} (a WebUI started without
 * {@code --api}). Requests are recorded. Thread-safe; close it to free the port and end stalled requests.
 */
public final class SdWebUiStandIn implements AutoCloseable {
    /** The samplers a fresh stand-in lists (names from SD-WebUI 1.x). */
    public static final List<String> DEFAULT_SAMPLERS = List.of("DPM++ 2M", "Euler a", "Euler", "DDIM");
    /** The checkpoint a fresh stand-in has loaded. */
    public static final SdWebUiModel DEFAULT_MODEL = SdWebUiModel.of("v1-5-pruned-emaonly.safetensors", "6ce0161689");

    private static final String API = "/sdapi/v1/";
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final HttpServer server;
    private final ExecutorService exchanges = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "sd-webui-stand-in");
        thread.setDaemon(true);
        return thread;
    });
    private final Object lock = new Object();

    // All guarded by lock.
    private final List<SdWebUiRequest> requests = new ArrayList<>();
    private List<SdWebUiModel> models = List.of(DEFAULT_MODEL);
    private List<String> samplers = DEFAULT_SAMPLERS;
    private String checkpoint = DEFAULT_MODEL.title();
    private boolean apiEnabled = true;
    private boolean stalled;
    private boolean closed;

    private SdWebUiStandIn(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts a stand-in on a free loopback port.
     *
     * @return the running stand-in
     */
    public static SdWebUiStandIn start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            SdWebUiStandIn standIn = new SdWebUiStandIn(server);
            server.createContext("/", standIn::handle);
            server.setExecutor(standIn.exchanges);
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the SD-WebUI stand-in", e);
        }
    }

    /** @return the base address, e.g. {@code http://127.0.0.1:40123} (what a backend's {@code Address} holds) */
    public String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Replaces the checkpoints listed by {@code sd-models}; the loaded checkpoint stays as it is.
     *
     * @param newModels the checkpoints
     */
    public void setModels(List<SdWebUiModel> newModels) {
        synchronized (lock) {
            models = List.copyOf(newModels);
        }
    }

    /**
     * Replaces the sampler names listed by {@code samplers}.
     *
     * @param names the names, e.g. {@code Euler a}
     */
    public void setSamplers(List<String> names) {
        synchronized (lock) {
            samplers = List.copyOf(names);
        }
    }

    /**
     * Sets what {@code options.sd_model_checkpoint} holds, as if an operator picked it in the WebUI.
     *
     * @param title a checkpoint title such as {@code v1-5-pruned-emaonly.safetensors [6ce0161689]}, or any text
     */
    public void setCheckpoint(String title) {
        synchronized (lock) {
            checkpoint = requireNonNull(title, "title is null");
        }
    }

    /** @return what {@code options.sd_model_checkpoint} holds now */
    public String checkpoint() {
        synchronized (lock) {
            return checkpoint;
        }
    }

    /**
     * Turns the {@code /sdapi/} routes on or off; off answers them 404 like a WebUI started without {@code --api}.
     *
     * @param enabled whether the API answers
     */
    public void setApiEnabled(boolean enabled) {
        synchronized (lock) {
            apiEnabled = enabled;
        }
    }

    /**
     * Makes every request hang without an answer (a WebUI stuck loading a model) until {@code setStalled(false)}
     * or {@link #close()}.
     *
     * @param stall whether requests hang
     */
    public void setStalled(boolean stall) {
        synchronized (lock) {
            stalled = stall;
            lock.notifyAll();
        }
    }

    /** @return every request received so far, in order */
    public List<SdWebUiRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** Stops the server and ends stalled requests. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        server.stop(0);
        exchanges.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Optional<Answer> answer = answer(new SdWebUiRequest(method, path, body));
            if (answer.isEmpty()) {
                return;
            }
            byte[] bytes = answer.get().json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.get().status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Empty when the stand-in was closed while the request was stalled: the connection is just dropped. */
    private Optional<Answer> answer(SdWebUiRequest request) {
        synchronized (lock) {
            requests.add(request);
            while (stalled && !closed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
            if (closed) {
                return Optional.empty();
            }
            if (!apiEnabled || !request.path().startsWith(API)) {
                return Optional.of(notFound());
            }
            String route = request.path().substring(API.length());
            return Optional.of(switch (request.method() + " " + route) {
                case "GET options" -> new Answer(200, GSON.toJson(options()));
                case "POST options" -> setOptions(request.body());
                case "GET samplers" -> new Answer(200, GSON.toJson(samplerItems()));
                case "GET sd-models" -> new Answer(200, GSON.toJson(modelItems()));
                default -> route.equals("options") || route.equals("samplers") || route.equals("sd-models")
                        ? new Answer(405, "{\"detail\":\"Method Not Allowed\"}") : notFound();
            });
        }
    }

    private JsonObject options() {
        JsonObject options = new JsonObject();
        options.addProperty("samples_save", true);
        options.addProperty("samples_format", "png");
        options.addProperty("sd_model_checkpoint", checkpoint);
        options.add("sd_checkpoint_hash", models.stream().filter(model -> model.title().equals(checkpoint))
                .findFirst().map(SdWebUiModel::sha256).map(GSON::toJsonTree).orElse(null));
        options.addProperty("sd_vae", "Automatic");
        options.addProperty("CLIP_stop_at_last_layers", 1);
        return options;
    }

    private Answer setOptions(String body) {
        JsonObject changes;
        try {
            changes = JsonParser.parseString(body).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            return new Answer(422, "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"value is not a valid dict\","
                    + "\"type\":\"type_error.dict\"}]}");
        }
        JsonElement wanted = changes.get("sd_model_checkpoint");
        if (wanted != null && !wanted.isJsonNull()) {
            String title = wanted.getAsString();
            boolean known = models.stream().anyMatch(model -> model.title().equals(title)
                    || model.modelName().equals(title) || model.title().startsWith(title + " ["));
            if (!known) {
                // SD-WebUI's API error shape: the exception's type and text.
                JsonObject error = new JsonObject();
                error.addProperty("error", "RuntimeError");
                error.addProperty("detail", "");
                error.addProperty("body", "");
                error.addProperty("errors", "model '" + title + "' not found");
                return new Answer(500, GSON.toJson(error));
            }
            checkpoint = title;
        }
        return new Answer(200, "null");
    }

    private JsonArray samplerItems() {
        JsonArray items = new JsonArray();
        for (String name : samplers) {
            JsonObject item = new JsonObject();
            item.addProperty("name", name);
            JsonArray aliases = new JsonArray();
            aliases.add(name.toLowerCase(Locale.ROOT).replace(' ', '_').replace("++", "pp"));
            item.add("aliases", aliases);
            item.add("options", new JsonObject());
            items.add(item);
        }
        return items;
    }

    private JsonArray modelItems() {
        JsonArray items = new JsonArray();
        for (SdWebUiModel model : models) {
            JsonObject item = new JsonObject();
            item.addProperty("title", model.title());
            item.addProperty("model_name", model.modelName());
            item.addProperty("hash", model.hash());
            item.addProperty("sha256", model.sha256());
            item.addProperty("filename", model.filename());
            item.add("config", null);
            items.add(item);
        }
        return GSON.toJsonTree(items).getAsJsonArray();
    }

    private static Answer notFound() {
        return new Answer(404, "{\"detail\":\"Not Found\"}");
    }

    private record Answer(int status, String json) {
    }
}
