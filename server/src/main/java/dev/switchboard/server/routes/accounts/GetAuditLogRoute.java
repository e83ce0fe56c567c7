package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.server.audit.AuditEntry;
import dev.switchboard.server.audit.AuditLog;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GetAuditLog} (Switchboard's own): the newest entries of the audit log. */
final class GetAuditLogRoute implements ApiRoute {
    /** The most entries one answer holds. */
    static final int MAX_LIMIT = 5000;

    private static final Logger LOG = LoggerFactory.getLogger(GetAuditLogRoute.class);
    private static final ApiParam LIMIT = ApiParam.optionalInt("limit", 200,
            "How many of the newest entries to answer (1 to " + MAX_LIMIT + ").");

    private final AuditLog log;

    @Inject
    GetAuditLogRoute(AuditLog log) {
        this.log = log;
    }

    @Override
    public String name() {
        return "GetAuditLog";
    }

    @Override
    public Permission permission() {
        return Permission.VIEW_AUDIT_LOG;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Switchboard's own: the newest entries of the audit log (data/audit.log): every call"
                + " that changes backends or accounts, every login and logout, and every such call refused for lack"
                + " of its permission. Entries never hold a password, key or setting value.")
                .params(LIMIT)
                .answers(ApiField.of("entries", JsonType.ARRAY, "Newest first, each with 'time' (ISO-8601), 'user'"
                        + " (empty for Login), 'address', 'route', 'target' (the backend id, user, role, key id or"
                        + " model acted on; may be empty) and 'outcome' ('ok', the error's text with the request's"
                        + " values hidden, or 'refused: lacks <permission>')."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        int limit = LIMIT.readInt(call);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiError("Invalid value '" + limit + "' for parameter 'limit': it must be between 1 and "
                    + MAX_LIMIT + ".");
        }
        JsonArray entries = new JsonArray();
        try {
            for (AuditEntry entry : log.newest(limit)) {
                entries.add(entry.toJson());
            }
        } catch (IOException e) {
            LOG.error("Cannot read the audit log {}", log.file(), e);
            throw new ApiError("The audit log cannot be read: " + e.getMessage());
        }
        JsonObject result = new JsonObject();
        result.add("entries", entries);
        return result;
    }
}
