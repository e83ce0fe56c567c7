package dev.switchboard.server.importer;

import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.server.plugins.RegisteredBackendType;
import java.util.List;

/** Asks a backend type what it thinks of settings ({@code BackendType.validate}), as AddNewBackend and EditBackend do. */
@FunctionalInterface
interface SettingsValidator {
    /**
     * @return the type's complaints, empty when it accepts them
     * @throws Exception when the type's check itself fails (throws, or overruns its deadline)
     */
    List<SettingIssue> validate(RegisteredBackendType type, Settings settings) throws Exception;
}
