package dev.switchboard.examples.autowebui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Talks to one WebUI's {@code /sdapi/v1/} API. Every failure becomes a {@link WebUiException} whose message an
 * operator can act on. The HTTP client runs on this client's own threads, so {@link #close()} ends them all.
 */
final class SdApiClient implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_QUOTED = 200;

    private final URI apiBase;
    private final String address;
    // tag::own-threads[]
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "auto-webui-http");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http;

    SdApiClient(String address) {
        this.address = requireNonNull(address, "address is null").trim();
        this.apiBase = WebUiAddress.apiBase(address);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).executor(executor).build();
    }
    // end::own-threads[]

    /** {@code GET /sdapi/v1/<route>}, parsed. */
    JsonElement get(String route) throws WebUiException, InterruptedException {
        return send(route, HttpRequest.newBuilder(apiBase.resolve(route)).GET());
    }

    /** {@code POST /sdapi/v1/<route>} with a JSON body, parsed. */
    JsonElement post(String route, String json) throws WebUiException, InterruptedException {
        return send(route, HttpRequest.newBuilder(apiBase.resolve(route)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private JsonElement send(String route, HttpRequest.Builder request) throws WebUiException, InterruptedException {
        String what = "/sdapi/v1/" + route;
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new WebUiException("SD-WebUI at " + address + " did not answer " + what + " within "
                    + TIMEOUT.toSeconds() + " s: is it busy loading a model, or is the address wrong?", e);
        } catch (ConnectException e) {
            throw new WebUiException("Could not connect to SD-WebUI at " + address + ": connection refused."
                    + " Is it running, and is the address (host and port) right?", e);
        } catch (IOException e) {
            throw new WebUiException("Could not talk to SD-WebUI at " + address + " (" + what + "): "
                    + describe(e), e);
        }
        if (response.statusCode() == 404) {
            throw new WebUiException("SD-WebUI at " + address + " answered 404 Not Found for " + what
                    + ": start it with --api (add --api to COMMANDLINE_ARGS in webui-user.sh or webui-user.bat),"
                    + " and check that the address is the WebUI's.");
        }
        if (response.statusCode() != 200) {
            throw new WebUiException("SD-WebUI at " + address + " answered HTTP " + response.statusCode() + " for "
                    + what + ": " + quote(response.body()));
        }
        try {
            return JsonParser.parseString(response.body());
        } catch (JsonParseException e) {
            throw new WebUiException("SD-WebUI at " + address + " answered " + what + " with something that is not"
                    + " JSON (" + quote(response.body()) + "): is the address the WebUI's?", e);
        }
    }

    private static String describe(IOException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The engine's text is untrusted: one line, printable, short. */
    private static String quote(String body) {
        String line = body.replaceAll("[\\p{Cntrl}]+", " ").trim();
        if (line.isEmpty()) {
            return "(an empty body)";
        }
        return line.length() > MAX_QUOTED ? line.substring(0, MAX_QUOTED) + "..." : line;
    }
}
