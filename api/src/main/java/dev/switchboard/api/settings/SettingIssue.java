package dev.switchboard.api.settings;

import java.util.Objects;

/**
 * A problem with one setting's value, found by {@link dev.switchboard.api.BackendType#validate}.
 *
 * @param setting the setting's exact name, e.g. {@code "Address"}
 * @param message what is wrong and how to fix it, in a sentence an operator understands
 * @since 1.0
 */
public record SettingIssue(String setting, String message) {
    /**
     * Checks the fields.
     *
     * @param setting the setting's name, never null
     * @param message the message, never null
     * @throws NullPointerException when {@code setting} or {@code message} is null
     */
    public SettingIssue {
        Objects.requireNonNull(setting, "setting is null");
        Objects.requireNonNull(message, "message is null");
    }
}
