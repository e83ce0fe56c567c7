package dev.switchboard.server.importer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.RegisteredBackendType;
import dev.switchboard.server.secrets.Redactor;
import dev.switchboard.server.secrets.SecretValues;
import dev.switchboard.server.settings.InvalidSettingException;
import dev.switchboard.server.settings.SettingsJson;
import dev.switchboard.server.store.StoredBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a backend of the SwarmUI file into a stored entry. FDS keeps every value as text; SwarmUI converts it by
 * the setting's type when it loads the file, and so does this, through the same conversion as the stored settings
 * of {@code backends.json} ({@link SettingsJson#fromStored}): text stays text, {@code true}/{@code false} (any
 * case) read as booleans, numbers are parsed, dropdown values must be allowed ones. Where SwarmUI silently reads
 * anything but {@code true} as false, or wraps an integer around, this reports the setting and its line instead.
 *
 * <p>When no installed plugin provides the type, the settings are kept verbatim, as text; the server converts them
 * by the same rule when a plugin providing the type is installed, so an import before or after installing the
 * plugin gives the same settings.
 */
final class BackendConverter {
    private final BackendTypeRegistry types;
    private final SettingsValidator validator;
    private final Redactor redactor;

    /**
     * @param redactor learns the secrets of each converted backend before its type checks them, so that neither the
     *     messages here nor the log lines of the type's check (when the redactor is installed for logging) show them
     */
    BackendConverter(BackendTypeRegistry types, SettingsValidator validator, Redactor redactor) {
        this.types = types;
        this.validator = validator;
        this.redactor = redactor;
    }

    /**
     * Converts one backend; adds to {@code problems} (each naming the backend, the setting and the line, never a
     * secret) and returns empty when its settings do not fit its type.
     */
    Optional<ConvertedBackend> convert(SwarmBackend backend, List<String> problems) {
        Optional<RegisteredBackendType> type = types.find(backend.type());
        if (type.isEmpty()) {
            JsonObject verbatim = new JsonObject();
            backend.settings().forEach((name, value) -> verbatim.add(name, json(value)));
            return Optional.of(new ConvertedBackend(backend, entry(backend, verbatim), Optional.empty(), List.of(),
                    List.of()));
        }
        SettingsSchema schema = type.get().schema();
        JsonObject known = new JsonObject();
        List<String> defaulted = new ArrayList<>();
        int before = problems.size();
        for (SettingDefinition definition : schema.definitions()) {
            FdsNode value = backend.settings().get(definition.name());
            if (value == null) {
                defaulted.add(definition.name());
                continue;
            }
            JsonObject single = new JsonObject();
            single.add(definition.name(), json(value));
            try {
                SettingsJson.fromStored(schema, single);
                known.add(definition.name(), json(value));
            } catch (InvalidSettingException e) {
                problems.add(where(backend, value.line()) + refusal(definition, e));
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        Settings settings;
        try {
            settings = SettingsJson.fromStored(schema, known);
        } catch (InvalidSettingException e) {
            // Each value fitted alone, and settings do not depend on each other here.
            throw new IllegalStateException(e);
        }
        if (!validates(backend, type.get(), settings, problems)) {
            return Optional.empty();
        }
        JsonObject stored = SettingsJson.toStored(settings);
        List<String> undeclared = new ArrayList<>();
        backend.settings().forEach((name, value) -> {
            if (schema.find(name).isEmpty()) {
                undeclared.add(name);
                stored.add(name, json(value));
            }
        });
        return Optional.of(new ConvertedBackend(backend, entry(backend, stored), Optional.of(settings), defaulted,
                undeclared));
    }

    private boolean validates(SwarmBackend backend, RegisteredBackendType type, Settings settings,
                              List<String> problems) {
        Set<String> secrets = SecretValues.of(settings);
        redactor.setSecrets(backend, secrets);
        List<SettingIssue> issues;
        try {
            issues = validator.validate(type, settings);
        } catch (Exception e) {
            problems.add(where(backend, backend.line()) + redactor.redact("type '" + type.id()
                    + "' could not check the settings: " + e.getMessage(), secrets));
            return false;
        }
        if (issues == null || issues.isEmpty()) {
            return true;
        }
        for (SettingIssue issue : issues) {
            FdsNode node = backend.settings().get(issue.setting());
            problems.add(where(backend, node == null ? backend.line() : node.line()) + redactor.redact(
                    "Invalid value for setting '" + issue.setting() + "': " + issue.message(), secrets));
        }
        return false;
    }

    private static StoredBackend entry(SwarmBackend backend, JsonObject settings) {
        return StoredBackend.of(backend.id(), backend.type(), backend.title(), backend.enabled(), settings);
    }

    private static String where(SwarmBackend backend, int line) {
        return "line " + line + ": backend " + backend.id() + " (" + backend.type() + "): ";
    }

    /** A value as stored verbatim: text, a list of texts, or an object of them. */
    static JsonElement json(FdsNode node) {
        if (node instanceof FdsNode.Scalar scalar) {
            return new JsonPrimitive(scalar.text());
        }
        if (node instanceof FdsNode.ListNode list) {
            JsonArray array = new JsonArray();
            list.items().forEach(item -> array.add(item.text()));
            return array;
        }
        JsonObject object = new JsonObject();
        for (Map.Entry<String, FdsNode> entry : ((FdsNode.Section) node).entries().entrySet()) {
            object.add(entry.getKey(), json(entry.getValue()));
        }
        return object;
    }

    /**
     * Why a value did not fit. The conversion's message quotes the value (shortened), so for a secret or a header
     * list it is replaced: a shortened secret would slip past any redaction.
     */
    private static String refusal(SettingDefinition definition, InvalidSettingException e) {
        if (definition.isSecret() || definition.isHeaderList()) {
            return "Invalid value for setting '" + definition.name() + "': it does not fit the setting (at most "
                    + definition.maxLength() + " characters of text); the value is secret, so it is not shown.";
        }
        return e.getMessage();
    }
}
