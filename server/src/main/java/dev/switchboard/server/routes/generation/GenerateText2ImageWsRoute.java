package dev.switchboard.server.routes.generation;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.switchboard.server.dispatch.QueueFullException;
import dev.switchboard.server.generation.GenerationRequest;
import dev.switchboard.server.generation.GenerationRun;
import dev.switchboard.server.generation.GenerationService;
import dev.switchboard.server.generation.GenerationSink;
import dev.switchboard.server.generation.InvalidRequestException;
import dev.switchboard.server.generation.ModelCatalog;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.ApiSocket;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;

/**
 * {@code GenerateText2ImageWS}: the same generation, streamed (generation.md 2.3 and 1.4): a status object, then
 * {@code gen_progress} per job update (with previews), {@code raw_swarm_data} before each {@code image} when asked,
 * {@code keep_alive} after each job and at least every 10 s, {@code discard_indices}, a final status object and a
 * normal close. A client that goes away cancels the request's jobs.
 */
final class GenerateText2ImageWsRoute implements ApiRoute {
    /** Well under the 30 s a master may wait between messages before it suspects the socket. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

    private final GenerationService generations;
    private final GenerationRequestReader reader;
    private final CurrentStatus status;

    @Inject
    GenerateText2ImageWsRoute(GenerationService generations, ModelCatalog models, CurrentStatus status) {
        this.generations = generations;
        this.reader = new GenerationRequestReader(models);
        this.status = status;
    }

    @Override
    public String name() {
        return "GenerateText2ImageWS";
    }

    @Override
    public boolean webSocketOnly() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.BASIC_IMAGE_GENERATION;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("WebSocket only: the request as the first text message; streams a status object,"
                + " gen_progress messages, image messages (raw_swarm_data first with forwardswarmdata), keep_alive,"
                + " discard_indices and a final status object, then closes. Parameters as GenerateText2Image.")
                .params(T2IParamDocs.PARAMETERS)
                .answers(ApiField.of("status", JsonType.OBJECT, "First and last message: as GetCurrentStatus."),
                        ApiField.of("gen_progress", JsonType.OBJECT, "batch_index, request_id, overall_percent,"
                                + " current_percent, preview."),
                        ApiField.of("image", JsonType.STRING, "With batch_index, request_id and metadata: one image."),
                        ApiField.of("keep_alive", JsonType.BOOLEAN, "After each job and at least every 10 s."),
                        ApiField.of("discard_indices", JsonType.ARRAY, "Empty."),
                        ApiField.of("error", JsonType.STRING, "Why the generation failed."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        throw new ApiError("API route needs websocket, request is HTTP");
    }

    @Override
    public void handleWebSocket(ApiCall call, ApiSocket socket) throws Exception {
        int images = T2IParamDocs.IMAGES.readInt(call);
        Session session = call.session().orElseThrow();
        socket.send(status.of(session.id()));
        GenerationRequest request;
        try {
            request = reader.read(call.bodyWithoutSessionId(), images, session);
        } catch (InvalidRequestException e) {
            throw new ApiError(e.getMessage());
        }
        long requestId = generations.newRequestId();
        GenerationRun run;
        try {
            run = generations.start(requestId, session.id(), session.userId(), request, new Streamed(socket, requestId));
        } catch (InvalidRequestException | QueueFullException e) {
            throw new ApiError(e.getMessage());
        }
        socket.onClose(() -> run.cancel("The client closed the connection."));
        run.awaitEnd(KEEP_ALIVE);
        JsonObject discard = new JsonObject();
        discard.add("discard_indices", new JsonArray());
        socket.send(discard);
        socket.send(status.of(session.id()));
    }

    /** Each result as the message SwarmUI sends for it. */
    private static final class Streamed implements GenerationSink {
        private final ApiSocket socket;
        private final String requestId;

        Streamed(ApiSocket socket, long requestId) {
            this.socket = socket;
            this.requestId = Long.toString(requestId);
        }

        @Override
        public void progress(int batchIndex, double overall, double current, String preview) {
            JsonObject progress = new JsonObject();
            progress.addProperty("batch_index", Integer.toString(batchIndex));
            progress.addProperty("request_id", requestId);
            progress.addProperty("overall_percent", overall);
            progress.addProperty("current_percent", current);
            if (preview != null) {
                progress.addProperty("preview", preview);
            }
            JsonObject message = new JsonObject();
            message.add("gen_progress", progress);
            socket.sendDroppable(message);
        }

        @Override
        public void image(int batchIndex, String image, String metadata, List<String> usedParameters) {
            if (usedParameters != null) {
                JsonObject data = new JsonObject();
                JsonArray used = new JsonArray();
                usedParameters.forEach(used::add);
                data.add("params_used", used);
                JsonObject message = new JsonObject();
                message.add("raw_swarm_data", data);
                socket.send(message);
            }
            JsonObject message = new JsonObject();
            message.addProperty("image", image);
            message.addProperty("batch_index", Integer.toString(batchIndex));
            message.addProperty("request_id", requestId);
            message.add("metadata", metadata == null ? JsonNull.INSTANCE : new JsonPrimitive(metadata));
            socket.send(message);
        }

        @Override
        public void keepAlive() {
            JsonObject message = new JsonObject();
            message.addProperty("keep_alive", true);
            socket.send(message);
        }

        @Override
        public void error(String message) {
            JsonObject error = new JsonObject();
            error.addProperty("error", message);
            socket.send(error);
        }
    }
}
