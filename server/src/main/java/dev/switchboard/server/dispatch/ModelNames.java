package dev.switchboard.server.dispatch;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * SwarmUI's model name resolution: a requested name matches a listed one exactly, else with {@code .safetensors}
 * added (requests usually leave it out), else ignoring case; {@code \} counts as {@code /}.
 */
public final class ModelNames {
    private static final String SAFETENSORS = ".safetensors";

    private ModelNames() {
    }

    /**
     * Finds the listed name a request means.
     *
     * @param requested the name as the client wrote it
     * @param listed the names a backend reported
     * @return the listed name, or empty when none matches
     */
    public static Optional<String> resolve(String requested, Collection<String> listed) {
        String wanted = requested.replace('\\', '/');
        if (listed.contains(wanted)) {
            return Optional.of(wanted);
        }
        if (!wanted.endsWith(SAFETENSORS) && listed.contains(wanted + SAFETENSORS)) {
            return Optional.of(wanted + SAFETENSORS);
        }
        String lower = wanted.toLowerCase(Locale.ROOT);
        for (String name : listed) {
            String candidate = name.toLowerCase(Locale.ROOT);
            if (candidate.equals(lower) || candidate.equals(lower + SAFETENSORS)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
