package dev.switchboard.benchmarks.ceiling;

import static java.util.Objects.requireNonNull;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The ceiling of Switchboard's own stack: the same Undertow, answering {@code POST /API/<Route>} with the
 * bytes Switchboard sent for that route (captured at the start of the benchmark run), and nothing else: no
 * access guard, no envelope parsing, no session, no registry, no locking. It still reads each request body,
 * as a real server must. Whatever Switchboard does beyond this shows up as the ratio between the two.
 */
public final class CeilingServer implements AutoCloseable {
    private static final String API_PREFIX = "/api/";

    private final Undertow undertow;

    /**
     * Starts listening.
     *
     * @param port the port on 127.0.0.1 (0 picks one)
     * @param answers the response body for each route name, matched without regard to case
     */
    public CeilingServer(int port, Map<String, byte[]> answers) {
        requireNonNull(answers, "answers is null");
        Map<String, ByteBuffer> byRoute = new HashMap<>();
        answers.forEach((route, body) -> byRoute.put(route.toLowerCase(Locale.ROOT),
                ByteBuffer.wrap(body).asReadOnlyBuffer()));
        HttpHandler handler = exchange -> answer(exchange, byRoute);
        this.undertow = Undertow.builder().addHttpListener(port, "127.0.0.1").setHandler(handler).build();
        undertow.start();
    }

    /** @return the bound port */
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }

    private static void answer(HttpServerExchange exchange, Map<String, ByteBuffer> byRoute) {
        String path = exchange.getRequestPath().toLowerCase(Locale.ROOT);
        ByteBuffer body = path.startsWith(API_PREFIX) ? byRoute.get(path.substring(API_PREFIX.length())) : null;
        if (body == null) {
            exchange.setStatusCode(StatusCodes.NOT_FOUND);
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0L);
            exchange.endExchange();
            return;
        }
        // Read (and drop) the request body, then send the same headers Switchboard sends.
        exchange.getRequestReceiver().receiveFullBytes((ex, ignored) -> {
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
            ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.remaining());
            ex.getResponseSender().send(body.duplicate());
        });
    }

    /**
     * Runs the ceiling until killed: {@code CeilingServer <port> <answers-dir>}, where each file
     * {@code <Route>.json} in the directory holds that route's captured answer. Prints
     * {@code ceiling listening on <port>} once ready.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: CeilingServer <port> <answers-dir>");
            System.exit(2);
        }
        Map<String, byte[]> answers = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(args[1]), "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                answers.put(name.substring(0, name.length() - ".json".length()), Files.readAllBytes(file));
            }
        }
        CeilingServer server = new CeilingServer(Integer.parseInt(args[0]), answers);
        System.out.println("ceiling listening on " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
