package dev.switchboard.testkit.sdwebui;

import java.util.List;
import java.util.Optional;

/** How SD-WebUI finds the checkpoint a name stands for: its title, its model name, or its title without hash. */
final class CheckpointTitles {
    private CheckpointTitles() {
    }

    static Optional<SdWebUiModel> find(List<SdWebUiModel> models, String name) {
        return models.stream().filter(model -> model.title().equals(name) || model.modelName().equals(name)
                || withoutHash(model.title()).equals(name)).findFirst();
    }

    /** {@code a.safetensors [6ce0161689]} without its {@code  [hash]}. */
    static String withoutHash(String title) {
        int bracket = title.lastIndexOf(" [");
        return bracket > 0 && title.endsWith("]") ? title.substring(0, bracket) : title;
    }
}
