package dev.switchboard.server.dispatch;

import java.util.Collection;
import java.util.List;
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

    /**
     * The names a requested one may come to mean: {@link #resolve} finds only a listed name equal to one of these,
     * ignoring case. So a rule over names that ignores case (the model whitelist) holds for everything a request
     * can reach when it holds for each of these.
     *
     * @param requested the name as the client wrote it, e.g. {@code sdxl\base}
     * @return e.g. {@code [sdxl/base, sdxl/base.safetensors]}
     */
    public static List<String> forms(String requested) {
        String wanted = requested.replace('\\', '/');
        return List.of(wanted, wanted + SAFETENSORS);
    }

    /**
     * The key under which a name is indexed: lower case, every trailing {@code .safetensors} dropped. A listed
     * name that {@link #resolve} finds for a request has the same key as the request, with its {@code \} turned
     * into {@code /} (so the key narrows the backends to look at; {@code resolve} still decides).
     */
    static String key(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        while (key.endsWith(SAFETENSORS)) {
            key = key.substring(0, key.length() - SAFETENSORS.length());
        }
        return key;
    }

    /** The key of a requested name, as {@link #resolve} reads it. */
    static String requestKey(String requested) {
        return key(requested.replace('\\', '/'));
    }
}
