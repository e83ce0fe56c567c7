package dev.switchboard.examples.autowebui;

import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one WebUI can generate with: its checkpoints by the names reported to the host ({@code /} between folders,
 * extension kept, no {@code [hash]}) with the titles SD-WebUI knows them by, and its samplers and schedulers by
 * every name they answer to. Immutable.
 */
final class WebUiCatalog {
    private final Map<String, String> titlesByName;
    private final Map<String, String> samplers;
    private final Map<String, String> schedulers;

    private WebUiCatalog(Map<String, String> titlesByName, Map<String, String> samplers,
            Map<String, String> schedulers) {
        this.titlesByName = titlesByName;
        this.samplers = samplers;
        this.schedulers = schedulers;
    }

    /** Asks the WebUI for its checkpoints, samplers and (SD-WebUI 1.9 and later) schedulers. */
    static WebUiCatalog read(SdApiClient api) throws WebUiException, InterruptedException {
        Map<String, String> samplers = new LinkedHashMap<>();
        for (JsonElement item : list(api.get("samplers"), "samplers", api)) {
            Optional<String> name = text(item, "name");
            if (name.isPresent()) {
                samplers.putIfAbsent(name.get().toLowerCase(Locale.ROOT), name.get());
                JsonElement aliases = item.getAsJsonObject().get("aliases");
                if (aliases != null && aliases.isJsonArray()) {
                    aliases.getAsJsonArray().forEach(alias -> samplers.putIfAbsent(
                            alias.getAsString().toLowerCase(Locale.ROOT), name.get()));
                }
            }
        }
        Map<String, String> titles = new LinkedHashMap<>();
        for (JsonElement item : list(api.get("sd-models"), "sd-models", api)) {
            text(item, "title").ifPresent(title -> titles.putIfAbsent(CheckpointNames.modelName(title), title));
        }
        Map<String, String> schedulers = new LinkedHashMap<>();
        Optional<JsonElement> schedulerList = api.getIfPresent("schedulers");
        if (schedulerList.isPresent()) {
            for (JsonElement item : list(schedulerList.get(), "schedulers", api)) {
                Optional<String> name = text(item, "name");
                name.ifPresent(value -> schedulers.putIfAbsent(value.toLowerCase(Locale.ROOT), value));
                text(item, "label").ifPresent(label -> name.ifPresent(value ->
                        schedulers.putIfAbsent(label.toLowerCase(Locale.ROOT), value)));
            }
        }
        return new WebUiCatalog(titles, samplers, schedulers);
    }

    /** @return the checkpoint names to report to the host, in the WebUI's order */
    List<String> modelNames() {
        return List.copyOf(titlesByName.keySet());
    }

    /** @return the titles SD-WebUI lists, in its order */
    List<String> titles() {
        return List.copyOf(titlesByName.values());
    }

    /** @return the SD-WebUI title of a reported checkpoint name */
    Optional<String> title(String modelName) {
        return Optional.ofNullable(titlesByName.get(modelName));
    }

    /** @return the distinct sampler names */
    List<String> samplerNames() {
        return samplers.values().stream().distinct().toList();
    }

    /** @return the sampler a name or alias stands for, ignoring case */
    Optional<String> sampler(String name) {
        return Optional.ofNullable(samplers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** @return the scheduler a name or label stands for, ignoring case */
    Optional<String> scheduler(String name) {
        return Optional.ofNullable(schedulers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** @return the distinct scheduler names (empty for a WebUI older than 1.9) */
    List<String> schedulerNames() {
        return schedulers.values().stream().distinct().toList();
    }

    private static List<JsonElement> list(JsonElement answer, String route, SdApiClient api) throws WebUiException {
        if (!answer.isJsonArray()) {
            throw new WebUiException("SD-WebUI at " + api.address() + " answered /sdapi/v1/" + route + " with no JSON"
                    + " list: is the address the WebUI's?");
        }
        List<JsonElement> items = new ArrayList<>();
        answer.getAsJsonArray().forEach(items::add);
        return items;
    }

    private static Optional<String> text(JsonElement item, String field) {
        JsonElement value = item.isJsonObject() ? item.getAsJsonObject().get(field) : null;
        return value != null && value.isJsonPrimitive() ? Optional.of(value.getAsString()) : Optional.empty();
    }
}
