package dev.switchboard.server.routes.generation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
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
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GenerateText2Image}: runs a generation to the end and answers {@code {"images":[...]}} (saved paths or
 * data URLs, in the order they finished) or the first error (generation.md 2.2).
 */
final class GenerateText2ImageRoute implements ApiRoute {
    private final GenerationService generations;
    private final GenerationRequestReader reader;

    @Inject
    GenerateText2ImageRoute(GenerationService generations, ModelCatalog models) {
        this.generations = generations;
        this.reader = new GenerationRequestReader(models);
    }

    @Override
    public String name() {
        return "GenerateText2Image";
    }

    @Override
    public Permission permission() {
        return Permission.BASIC_IMAGE_GENERATION;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Generates images and answers when all are done: saved View/ paths or data URLs,"
                + " in the order they finished, or the first error. Parameters as ListT2IParams lists them; one that"
                + " no backend here honours is refused by name.")
                .params(T2IParamDocs.PARAMETERS)
                .answers(ApiField.of("images", JsonType.ARRAY, "The images: View/<user>/<path> or data: URLs."));
    }

    @Override
    public JsonObject handle(ApiCall call) throws InterruptedException {
        int images = T2IParamDocs.IMAGES.readInt(call);
        Session session = call.session().orElseThrow();
        Collected collected = new Collected();
        try {
            GenerationRequest request = reader.read(call.bodyWithoutSessionId(), images, session);
            GenerationRun run = generations.start(session.id(), session.userId(), request, collected);
            if (!run.awaitEnd(Duration.ofSeconds(30))) {
                throw new InterruptedException("interrupted while generating");
            }
        } catch (InvalidRequestException | QueueFullException e) {
            throw new ApiError(e.getMessage());
        }
        return collected.answer();
    }

    /** The images as they come, and the first error. */
    private static final class Collected implements GenerationSink {
        private final List<String> images = new ArrayList<>();
        private String error;

        @Override
        public void progress(int batchIndex, double overall, double current, String preview) {
        }

        @Override
        public synchronized void image(int batchIndex, String image, String metadata, List<String> usedParameters) {
            images.add(image);
        }

        @Override
        public void keepAlive() {
        }

        @Override
        public synchronized void error(String message) {
            if (error == null) {
                error = message;
            }
        }

        synchronized JsonObject answer() {
            if (error != null) {
                throw new ApiError(error);
            }
            JsonObject result = new JsonObject();
            JsonArray list = new JsonArray();
            images.forEach(list::add);
            result.add("images", list);
            return result;
        }
    }
}
