package dev.switchboard.server.routes.backends;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.SettingsUpdate;
import dev.switchboard.server.settings.InvalidSettingException;
import dev.switchboard.server.settings.SettingsJson;

/**
 * A settings change as an API client sends it: the settings named in a JSON object take the given values,
 * the others keep theirs, and a secret sent as SwarmUI's placeholder keeps its stored value.
 */
public final class JsonSettingsUpdate implements SettingsUpdate {
    private final JsonObject update;

    public JsonSettingsUpdate(JsonObject update) {
        this.update = requireNonNull(update, "update is null").deepCopy();
    }

    @Override
    public Settings applyTo(Settings current) throws BackendOperationException {
        try {
            return SettingsJson.merge(current, update);
        } catch (InvalidSettingException e) {
            throw new BackendOperationException(e.getMessage());
        }
    }
}
