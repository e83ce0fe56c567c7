// tag::schema[]
package dev.switchboard.examples.echo;

import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.SettingsSchema;
import java.util.List;

/** The settings of an echo backend: names, schema, and nothing else. */
final class EchoSettings {
    static final String GREETING = "Greeting";
    static final String TOKEN = "Token";
    static final String MOOD = "Mood";
    static final String SLOTS = "Slots";
    static final String MODELS = "Models";
    static final String STEP_MILLIS = "StepMillis";

    static final SettingsSchema SCHEMA = SettingsSchema.of(
            SettingDefinition.builder(GREETING, SettingType.TEXT)
                    .defaultValue("hello")
                    .description("What the backend says when it is ready. Empty disables the backend.")
                    .build(),
            SettingDefinition.builder(TOKEN, SettingType.TEXT)
                    .secret()
                    .description("A made-up credential, to show how secrets behave.")
                    .build(),
            SettingDefinition.builder(MOOD, SettingType.DROPDOWN)
                    .values(List.of("calm", "loud"))
                    .valueNames(List.of("Calm", "Loud"))
                    .description("How the greeting is shown.")
                    .build(),
            SettingDefinition.builder(SLOTS, SettingType.INTEGER)
                    .defaultValue(1L)
                    .range(0, 16)
                    .description("How many jobs the backend takes at once.")
                    .build(),
            SettingDefinition.builder(MODELS, SettingType.LIST)
                    .defaultValue(List.of("echo/gradient.safetensors", "echo/stripes.safetensors"))
                    .description("The model names the backend lists: folders separated by '/', extension kept.")
                    .build(),
            SettingDefinition.builder(STEP_MILLIS, SettingType.INTEGER)
                    .defaultValue(50L)
                    .range(0, 60_000)
                    .description("How long each sampling step takes, in milliseconds.")
                    .build());

    private EchoSettings() {
    }
}
// end::schema[]
