package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.AccountException;
import dev.switchboard.server.accounts.Accounts;
import dev.switchboard.server.accounts.CreatedKey;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code CreateAPIKey} (Switchboard's own; SwarmUI has no token route yet): makes an API key acting as the caller,
 * for {@code Authorization: Bearer <key>}. The key's text is in this answer only; the server keeps its SHA-256.
 */
final class CreateApiKeyRoute implements ApiRoute {
    /** The longest expiry a key may be given: ten years. */
    static final int MAX_EXPIRES_DAYS = 3650;

    private static final ApiParam LABEL = ApiParam.requiredString("label",
            "What the key is for, e.g. 'render farm master' (at most 200 characters).");
    private static final ApiParam EXPIRES_DAYS = ApiParam.optionalNoDefault("expires_days", JsonType.INTEGER,
            "After how many days the key stops working (1 to " + MAX_EXPIRES_DAYS + "); left out, it never"
                    + " expires.");

    private final Accounts accounts;
    private final Clock clock;

    @Inject
    CreateApiKeyRoute(Accounts accounts) {
        this(accounts, Clock.systemUTC());
    }

    CreateApiKeyRoute(Accounts accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "CreateAPIKey";
    }

    @Override
    public boolean audited() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.MANAGE_API_KEYS;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Switchboard's own: makes an API key acting as the caller, with the caller's"
                + " permissions as they are at each request, for the header 'Authorization: Bearer <key>'. The key"
                + " is shown in this answer only (the server keeps its SHA-256); a user holds at most 100 keys.")
                .params(LABEL, EXPIRES_DAYS)
                .answers(ApiField.of("key", JsonType.STRING, "The key's text: store it now, it is never shown again."),
                        ApiField.of("id", JsonType.STRING, "The key's id, for ListAPIKeys and RevokeAPIKey."),
                        ApiField.of("label", JsonType.STRING, "The label given."),
                        ApiField.of("expires", JsonType.STRING, "When it stops working (ISO-8601), or null for"
                                + " never."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        String label = LABEL.readString(call);
        Optional<Instant> expires = Optional.empty();
        if (EXPIRES_DAYS.presentIn(call)) {
            int days = EXPIRES_DAYS.readInt(call);
            if (days < 1 || days > MAX_EXPIRES_DAYS) {
                throw new ApiError("Invalid value '" + days + "' for parameter 'expires_days': it must be between 1"
                        + " and " + MAX_EXPIRES_DAYS + ".");
            }
            expires = Optional.of(clock.instant().plus(Duration.ofDays(days)));
        }
        CreatedKey created;
        try {
            created = accounts.createApiKey(AccountAnswers.caller(call), label, expires);
        } catch (AccountException e) {
            throw AccountAnswers.refusal(e);
        }
        call.auditTarget(created.key().id());
        JsonObject result = new JsonObject();
        result.addProperty("key", created.text());
        result.addProperty("id", created.key().id());
        result.addProperty("label", created.key().label());
        result.add("expires", ApiKeyViews.instant(created.key().expires()));
        return result;
    }
}
