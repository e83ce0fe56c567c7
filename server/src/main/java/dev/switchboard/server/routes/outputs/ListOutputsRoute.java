package dev.switchboard.server.routes.outputs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiJson;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.outputs.OutputEntry;
import dev.switchboard.server.outputs.OutputGallery;
import dev.switchboard.server.outputs.OutputPage;
import dev.switchboard.server.outputs.OutputPathException;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import jakarta.inject.Inject;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ListOutputs} (Switchboard's own route): a page of the caller's saved images, newest first. SwarmUI's
 * {@code ListImages} lists folders and sorts by name or date without pages; this one pages through every image below
 * {@code path} (SwarmUI's parameter: a folder inside the user's outputs, {@code ""} for all), so a gallery can show
 * the newest ones first and fetch older ones on demand. Each file is answered as SwarmUI's generation answers an
 * image: its {@code View/<user>/<path>} and its embedded {@code metadata} as JSON text (or null), plus its size and
 * time. A path that leaves the user's folder gets SwarmUI's {@code bad_path} text.
 */
final class ListOutputsRoute implements ApiRoute {
    /** A page's size when none is asked for. */
    static final int DEFAULT_LIMIT = 50;

    private static final Logger LOG = LoggerFactory.getLogger(ListOutputsRoute.class);
    private static final ApiParam PATH = ApiParam.optionalString("path", "",
            "A folder inside the caller's outputs ('' for all of them); a path that leaves it is refused.");
    private static final ApiParam OFFSET = ApiParam.optionalInt("offset", 0,
            "How many of the newest images to skip (0 or more).");
    private static final ApiParam LIMIT = ApiParam.optionalInt("limit", DEFAULT_LIMIT,
            "How many images to answer at most (1 to " + OutputGallery.MAX_LIMIT + ").");

    private final OutputGallery gallery;

    @Inject
    ListOutputsRoute(OutputGallery gallery) {
        this.gallery = gallery;
    }

    @Override
    public String name() {
        return "ListOutputs";
    }

    @Override
    public Permission permission() {
        return Permission.VIEW_IMAGE_HISTORY;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Lists a page of the caller's saved images, newest first.")
                .params(PATH, OFFSET, LIMIT)
                .answers(ApiField.of("files", JsonType.ARRAY, "The page's images, each with 'image' (its"
                                + " View/<user>/<path>), 'metadata' (the parameters embedded in it as JSON text, or"
                                + " null), 'size' in bytes and 'modified' (ISO-8601)."),
                        ApiField.of("offset", JsonType.INTEGER, "The offset asked for."),
                        ApiField.of("limit", JsonType.INTEGER, "The limit asked for."),
                        ApiField.of("total", JsonType.INTEGER, "How many images there are below the path."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String path = PATH.readString(call);
        int offset = OFFSET.readInt(call);
        int limit = LIMIT.readInt(call);
        if (offset < 0) {
            throw new ApiError("Invalid value '" + offset + "' for parameter 'offset': it must be 0 or more.");
        }
        if (limit < 1 || limit > OutputGallery.MAX_LIMIT) {
            throw new ApiError("Invalid value '" + limit + "' for parameter 'limit': it must be between 1 and "
                    + OutputGallery.MAX_LIMIT + ".");
        }
        Session session = call.session().orElseThrow();
        OutputPage page;
        try {
            page = gallery.list(session.userId(), path, offset, limit);
        } catch (OutputPathException e) {
            LOG.warn("Refused to list outputs of user {} at a path that is {}", session.userId(), e.detail());
            throw new ApiError(e.getMessage());
        } catch (IOException e) {
            LOG.error("Cannot list the outputs of user {}", session.userId(), e);
            throw new ApiError("Error reading file list.");
        }
        JsonArray files = new JsonArray();
        for (OutputEntry entry : page.entries()) {
            JsonObject file = new JsonObject();
            file.addProperty("image", entry.viewPath());
            JsonElement metadata = entry.metadata().<JsonElement>map(json -> new JsonPrimitive(ApiJson.write(json)))
                    .orElse(JsonNull.INSTANCE);
            file.add("metadata", metadata);
            file.addProperty("size", entry.size());
            file.addProperty("modified", entry.modified().toString());
            files.add(file);
        }
        JsonObject result = new JsonObject();
        result.add("files", files);
        result.addProperty("offset", page.offset());
        result.addProperty("limit", page.limit());
        result.addProperty("total", page.total());
        return result;
    }
}
