package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;
import org.pf4j.InvalidPluginDescriptorException;
import org.pf4j.PluginDescriptor;
import org.pf4j.VersionManager;

/**
 * Checks what PF4J's descriptor finders do not ("TODO validate" in both): the id's syntax, that the version is a
 * semantic version, and that {@code plugin.requires} is a range the version manager can evaluate.
 */
final class PluginDescriptorValidator {
    static final Pattern PLUGIN_ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    static final Pattern SEMANTIC_VERSION = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

    private final VersionManager versions;
    private final String systemVersion;

    PluginDescriptorValidator(VersionManager versions, String systemVersion) {
        this.versions = requireNonNull(versions, "versions is null");
        this.systemVersion = requireNonNull(systemVersion, "systemVersion is null");
    }

    /**
     * Validates a descriptor.
     *
     * @throws InvalidPluginDescriptorException with a message naming the bad entry and its value
     */
    void validate(PluginDescriptor descriptor) {
        String id = descriptor.getPluginId();
        if (id == null || id.isBlank()) {
            throw new InvalidPluginDescriptorException("plugin.id is missing");
        }
        if (!PLUGIN_ID.matcher(id).matches()) {
            throw new InvalidPluginDescriptorException("plugin.id '" + id + "' is invalid: it must start with a"
                    + " lower-case letter or digit and contain only lower-case letters, digits, '.', '_' and '-'");
        }
        String version = descriptor.getVersion();
        if (version == null || version.isBlank()) {
            throw new InvalidPluginDescriptorException("plugin.version of plugin '" + id + "' is missing");
        }
        if (!SEMANTIC_VERSION.matcher(version).matches()) {
            throw new InvalidPluginDescriptorException("plugin.version '" + version + "' of plugin '" + id
                    + "' is not a semantic version such as 1.2.3");
        }
        String requires = descriptor.getRequires() == null ? "" : descriptor.getRequires().trim();
        try {
            versions.checkVersionConstraint(systemVersion, requires);
        } catch (RuntimeException e) {
            throw new InvalidPluginDescriptorException("plugin.requires '" + requires + "' of plugin '" + id
                    + "' is not a version range such as '>=1.0.0 & <2.0.0' (" + FailureText.describe(e) + ")");
        }
    }
}
