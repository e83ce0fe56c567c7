package dev.switchboard.examples.autowebui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Talks to one WebUI's {@code /sdapi/v1/} API. Every failure becomes a {@link WebUiException} whose message an
 * operator can act on. The HTTP client runs on this client's own threads, so {@link #close()} ends them all.
 */
final class SdApiClient implements AutoCloseable {
    /** How long a short call (everything but a generation) may take, unless a test says otherwise. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_QUOTED = 200;

    private final URI apiBase;
    private final String address;
    private final Duration timeout;
    // tag::own-threads[]
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "auto-webui-http");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http;

    SdApiClient(String address, Duration timeout) {
        this.address = requireNonNull(address, "address is null").trim();
        this.apiBase = WebUiAddress.apiBase(address);
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).executor(executor).build();
    }
    // end::own-threads[]

    SdApiClient(String address) {
        this(address, TIMEOUT);
    }

    String address() {
        return address;
    }

    /** {@code GET /sdapi/v1/<route>}, parsed. */
    JsonElement get(String route) throws WebUiException, InterruptedException {
        return send(route, HttpRequest.newBuilder(apiBase.resolve(route)).GET())
                .orElseThrow(() -> notFound("/sdapi/v1/" + route));
    }

    /** {@code GET /sdapi/v1/<route>}, parsed; empty when this WebUI has no such route (an older version). */
    Optional<JsonElement> getIfPresent(String route) throws WebUiException, InterruptedException {
        return send(route, HttpRequest.newBuilder(apiBase.resolve(route)).GET());
    }

    /** {@code POST /sdapi/v1/<route>} with a JSON body, parsed. */
    JsonElement post(String route, String json) throws WebUiException, InterruptedException {
        return send(route, postRequest(route, json)).orElseThrow(() -> notFound("/sdapi/v1/" + route));
    }

    /**
     * {@code POST /sdapi/v1/<route>} without waiting and without a deadline of its own (a generation takes as long
     * as it takes; its caller watches it). The future fails with a {@link WebUiException}.
     */
    CompletableFuture<JsonElement> postAsync(String route, String json) {
        String what = "/sdapi/v1/" + route;
        return http.sendAsync(postRequest(route, json).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> {
                    try {
                        if (failure != null) {
                            throw failed(what, failure instanceof CompletionException ? failure.getCause() : failure);
                        }
                        return interpret(what, response).orElseThrow(() -> notFound(what));
                    } catch (WebUiException e) {
                        throw new CompletionException(e);
                    }
                });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private HttpRequest.Builder postRequest(String route, String json) {
        return HttpRequest.newBuilder(apiBase.resolve(route)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    }

    /**
     * Sends one of the calls that may be repeated (reads, the options, refreshing the lists, interrupting): once
     * more when the connection broke without an answer. The client reuses idle connections, and one the WebUI
     * closed just then (uvicorn after 5 s idle, or a WebUI restarted on the same port) breaks the next call; the
     * JDK repeats only a GET by itself.
     */
    private Optional<JsonElement> send(String route, HttpRequest.Builder request)
            throws WebUiException, InterruptedException {
        String what = "/sdapi/v1/" + route;
        HttpRequest built = request.timeout(timeout).build();
        HttpResponse<String> response;
        try {
            try {
                response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (e instanceof HttpTimeoutException || e instanceof ConnectException) {
                    throw e;
                }
                response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw failed(what, e);
        }
        return interpret(what, response);
    }

    private WebUiException failed(String what, Throwable e) {
        if (e instanceof HttpTimeoutException) {
            return new WebUiException("SD-WebUI at " + address + " did not answer " + what + " within "
                    + timeout.toSeconds() + " s: is it busy loading a model, or is the address wrong?", e);
        }
        if (e instanceof ConnectException) {
            return new WebUiException("Could not connect to SD-WebUI at " + address + ": connection refused."
                    + " Is it running, and is the address (host and port) right?", e);
        }
        return new WebUiException("Could not talk to SD-WebUI at " + address + " (" + what + "): " + describe(e), e);
    }

    /** The parsed body of a 200; empty for the 404 of a route this WebUI does not have. */
    private Optional<JsonElement> interpret(String what, HttpResponse<String> response) throws WebUiException {
        JsonElement body;
        try {
            body = StrictJson.parse(response.body());
        } catch (JsonParseException e) {
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            throw new WebUiException("SD-WebUI at " + address + " answered " + what + " (HTTP " + response.statusCode()
                    + ") with something that is not JSON (" + quote(response.body()) + "): is the address the"
                    + " WebUI's?", e);
        }
        if (response.statusCode() == 200) {
            return Optional.of(body);
        }
        String detail = detail(body);
        if (response.statusCode() == 404 && detail.equals("Not Found")) {
            return Optional.empty();
        }
        throw new WebUiException("SD-WebUI at " + address + " answered HTTP " + response.statusCode() + " for "
                + what + ": " + quote(detail.isEmpty() ? response.body() : detail));
    }

    private WebUiException notFound(String what) {
        return new WebUiException("SD-WebUI at " + address + " answered 404 Not Found for " + what
                + ": start it with --api (add --api to COMMANDLINE_ARGS in webui-user.sh or webui-user.bat),"
                + " and check that the address is the WebUI's.");
    }

    /** SD-WebUI's error text: {@code error: errors} of its own errors, FastAPI's {@code detail} otherwise. */
    private static String detail(JsonElement body) {
        if (!body.isJsonObject()) {
            return "";
        }
        JsonObject error = body.getAsJsonObject();
        JsonElement errors = error.get("errors");
        if (errors != null && errors.isJsonPrimitive() && !errors.getAsString().isEmpty()) {
            JsonElement type = error.get("error");
            return (type != null && type.isJsonPrimitive() ? type.getAsString() + ": " : "") + errors.getAsString();
        }
        JsonElement detail = error.get("detail");
        if (detail == null || detail.isJsonNull()) {
            return "";
        }
        return detail.isJsonPrimitive() ? detail.getAsString() : detail.toString();
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The engine's text is untrusted: one line, printable, short. */
    static String quote(String body) {
        String line = body.replaceAll("[\\p{Cntrl}]+", " ").trim();
        if (line.isEmpty()) {
            return "(an empty body)";
        }
        return line.length() > MAX_QUOTED ? line.substring(0, MAX_QUOTED) + "..." : line;
    }
}
