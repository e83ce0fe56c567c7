package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.switchboard.api.generation.Cancellation;
import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.plugins.support.BoundedBodyHandler;
import dev.switchboard.plugins.support.UntrustedText;
import java.io.EOFException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One job of a child, run on its remote as a SwarmUI master runs a generation on a child (generation.md 1.3-1.4):
 * over {@code GenerateText2ImageWS} (progress and previews relayed, each {@code image} delivered, the remote's close
 * frame ending it), or with {@code AllowWebsocket} off over {@code GenerateText2Image} (its {@code images}). A
 * forgotten session gets a new one and the job is sent once more; the remote's {@code error} fails the job with
 * SwarmUI's words. Cancelling posts {@code InterruptAll} for the job's session and closes the socket.
 */
final class RemoteJob {
    /** The HTTP form waits for the whole generation: SwarmUI's master gives it its client's 10 minutes. */
    static final Duration HTTP_GENERATION_DEADLINE = Duration.ofMinutes(10);
    private static final String WEBSOCKET_ROUTE = "GenerateText2ImageWS";
    private static final String HTTP_ROUTE = "GenerateText2Image";
    private static final BoundedBodyHandler GENERATION_ANSWERS = new BoundedBodyHandler(RemoteSocket.MAX_MESSAGE_CHARS);
    private static final int QUOTED_CHARS = 2000;
    /** The JDK reports a connection that ended without a close frame as a close with this code (RFC 6455's 1006). */
    private static final int WEBSOCKET_DROPPED = 1006;

    private final RemoteSession session;
    private final int remoteId;
    private final boolean websocket;

    /**
     * @param session the job's own session (from the child's pool)
     * @param remoteId the linked remote backend
     * @param websocket whether to use the WebSocket route ({@code AllowWebsocket})
     */
    RemoteJob(RemoteSession session, int remoteId, boolean websocket) {
        this.session = requireNonNull(session, "session is null");
        this.remoteId = remoteId;
        this.websocket = websocket;
    }

    void run(GenerationJob job, GenerationOutput output) throws GenerationException, InterruptedException {
        JsonObject body = ForwardedRequest.body(job.parameters(), remoteId);
        Cancellation cancellation = job.cancellation();
        AtomicReference<RemoteSocket> open = new AtomicReference<>();
        cancellation.onCancel(() -> {
            interruptOnRemote();
            RemoteSocket socket = open.get();
            if (socket != null) {
                socket.close();
            }
        });
        try {
            if (websocket) {
                overWebSocket(body, output, open, cancellation);
            } else {
                overHttp(body, output);
            }
        } catch (RemoteSwarmException e) {
            if (!cancellation.isCancelled()) {
                throw failure(e);
            }
        }
    }

    private void overWebSocket(JsonObject body, GenerationOutput output, AtomicReference<RemoteSocket> open,
                               Cancellation cancellation)
            throws RemoteSwarmException, InterruptedException, GenerationException {
        for (int attempt = 0; ; attempt++) {
            JsonObject request = body.deepCopy();
            request.addProperty("session_id", session.id());
            RemoteSocket socket = RemoteSocket.open(session.http(), WEBSOCKET_ROUTE);
            open.set(socket);
            try {
                if (cancellation.isCancelled()) {
                    return;
                }
                socket.send(request.toString());
                if (relay(socket, output, cancellation)) {
                    return;
                }
            } finally {
                open.set(null);
                socket.close();
                socket.abort();
            }
            // The remote forgot the session (it restarted): a new one, and the whole job once more (as a master does,
            // but only once: a remote that refuses a fresh session would make a master loop for ever).
            if (attempt > 0) {
                throw session.refusedNewSession(null);
            }
            session.connect();
        }
    }

    /**
     * Hands what the remote sends to the output until it closes the socket.
     *
     * @return false when the remote answered {@code invalid_session_id}, true when the job ended
     */
    private boolean relay(RemoteSocket socket, GenerationOutput output, Cancellation cancellation)
            throws RemoteSwarmException, InterruptedException, GenerationException {
        String address = session.http().address();
        int images = 0;
        while (true) {
            RemoteSocket.Event event = socket.next();
            if (cancellation.isCancelled()) {
                return true;
            }
            if (event instanceof RemoteSocket.Broken broken) {
                throw socket.lost(broken.failure());
            }
            if (event instanceof RemoteSocket.Closed closed) {
                if (closed.code() == WEBSOCKET_DROPPED) {
                    throw socket.lost(new EOFException("the connection closed without a close frame"));
                }
                if (images == 0) {
                    throw new GenerationException("Remote Swarm server at " + address + " generated no images (all"
                            + " refused, or failed - check its logs for details).");
                }
                return true;
            }
            String text = ((RemoteSocket.Text) event).text();
            if (text.isBlank()) {
                continue;
            }
            JsonObject message = object(text, address);
            // SwarmUI's master's order: the first key that matches decides.
            if (isInvalidSession(message)) {
                return false;
            }
            if (message.has("error")) {
                throw remoteError(text(message.get("error")));
            }
            if (message.has("gen_progress") && message.get("gen_progress").isJsonObject()) {
                progress(message.getAsJsonObject("gen_progress"), output);
            } else if (message.has("image")) {
                DataUrl image = dataUrl(message.get("image"), address, WEBSOCKET_ROUTE);
                output.image(image.bytes(), image.mediaType());
                images++;
            }
            // raw_swarm_data, keep_alive, status, discard_indices, ...: the host makes its own metadata.
        }
    }

    private void overHttp(JsonObject body, GenerationOutput output)
            throws RemoteSwarmException, InterruptedException, GenerationException {
        String address = session.http().address();
        JsonObject answer = session.call(HTTP_ROUTE, body, HTTP_GENERATION_DEADLINE, GENERATION_ANSWERS);
        if (!answer.has("images") || !answer.get("images").isJsonArray()) {
            throw new GenerationException("Remote Swarm server at " + address + " answered " + HTTP_ROUTE
                    + " without images: " + UntrustedText.sanitize(answer.toString(), 80));
        }
        for (JsonElement element : answer.getAsJsonArray("images")) {
            DataUrl image = dataUrl(element, address, HTTP_ROUTE);
            output.image(image.bytes(), image.mediaType());
        }
    }

    /** Tells the remote to stop this job's session's work; never blocks (the cancelling thread must go on). */
    private void interruptOnRemote() {
        JsonObject params = new JsonObject();
        params.addProperty("other_sessions", false);
        session.callIfOpen("InterruptAll", params);
    }

    private static void progress(JsonObject progress, GenerationOutput output) {
        Double overall = fraction(progress.get("overall_percent"));
        Double current = fraction(progress.get("current_percent"));
        if (overall != null) {
            output.progress(overall, current == null ? overall : current);
        }
        if (progress.has("preview")) {
            DataUrl.parse(text(progress.get("preview"))).ifPresent(preview ->
                    output.preview(preview.bytes(), preview.mediaType()));
        }
    }

    private static Double fraction(JsonElement element) {
        if (element == null || !element.isJsonPrimitive() || !element.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        double value = element.getAsDouble();
        return Double.isFinite(value) ? Math.max(0, Math.min(1, value)) : null;
    }

    private static DataUrl dataUrl(JsonElement element, String address, String route) throws GenerationException {
        Optional<DataUrl> image = DataUrl.parse(element != null && element.isJsonPrimitive() ? element.getAsString()
                : null);
        if (image.isEmpty()) {
            throw new GenerationException("Remote Swarm server at " + address + " sent an image through " + route
                    + " that is not a data URL: " + UntrustedText.sanitize(String.valueOf(element), 60));
        }
        return image.get();
    }

    private static JsonObject object(String text, String address) throws GenerationException {
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (parsed.isJsonObject()) {
                return parsed.getAsJsonObject();
            }
        } catch (JsonParseException e) {
            // Reported below.
        }
        throw new GenerationException("Remote Swarm server at " + address + " sent a message that is not a JSON"
                + " object: " + UntrustedText.sanitize(text, 80));
    }

    private static boolean isInvalidSession(JsonObject message) {
        JsonElement id = message.get("error_id");
        return id != null && id.isJsonPrimitive() && "invalid_session_id".equals(id.getAsString());
    }

    private static String text(JsonElement element) {
        return element == null || element.isJsonNull() ? "" : element.isJsonPrimitive() ? element.getAsString()
                : element.toString();
    }

    private static GenerationException failure(RemoteSwarmException e) {
        if (e.kind() == RemoteSwarmException.Kind.REMOTE_ERROR && e.remoteError() != null) {
            return remoteError(e.remoteError());
        }
        return new GenerationException(e.getMessage(), e);
    }

    /**
     * SwarmUI's master's words for the remote's error. The text keeps its line breaks (SwarmUI's refusals list their
     * reasons on lines); the host redacts secrets from it before anyone sees it.
     */
    private static GenerationException remoteError(String error) {
        StringBuilder clean = new StringBuilder();
        error.codePoints().limit(QUOTED_CHARS).forEach(c -> clean.appendCodePoint(c == '\n'
                || !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT ? c : ' '));
        return new GenerationException("Remote swarm gave error: " + clean.toString().strip());
    }
}
