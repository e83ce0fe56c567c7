package dev.switchboard.server.routes.accounts;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.server.accounts.AccountException;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.sessions.Identity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What the account routes share: the caller, the answer to a change, refusals, comma-separated lists. */
final class AccountAnswers {
    /** The answer field of a change that succeeded. */
    static final ApiField SUCCESS = ApiField.of("success", JsonType.BOOLEAN, "Always true: the change was saved.");

    private AccountAnswers() {
    }

    /** @return who the call's session acts as */
    static Identity caller(ApiCall call) {
        return call.session().orElseThrow(() -> new IllegalStateException("the route needs a session")).identity();
    }

    /** @return {@code {"success":true}} */
    static JsonObject success() {
        JsonObject result = new JsonObject();
        result.addProperty("success", true);
        return result;
    }

    /** @return the refusal as the client sees it: its text, and SwarmUI's error id when it has one */
    static ApiError refusal(AccountException e) {
        return e.errorId().map(id -> new ApiError(id, e.getMessage())).orElseGet(() -> new ApiError(e.getMessage()));
    }

    /** @return a JSON array of the texts */
    static JsonArray array(Collection<String> texts) {
        JsonArray array = new JsonArray();
        texts.forEach(array::add);
        return array;
    }

    /** @return the items of a comma-separated list, trimmed, empty ones dropped */
    static List<String> commaList(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }
}
