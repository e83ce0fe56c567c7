package dev.switchboard.server.limits;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One role's model whitelist and blacklist (SwarmUI's {@code model_whitelist} and {@code model_blacklist}) as a
 * rule over model names. Pure and immutable.
 *
 * <p>The rule: each list holds entries (in a role's text, comma-separated). An entry matches a model name
 * <ul>
 * <li>when it ends in {@code /}: as a folder prefix ({@code sdxl/} matches {@code sdxl/base.safetensors} and
 * {@code sdxl/turbo/x.safetensors});</li>
 * <li>when it ends in {@code *}: as a prefix of the name ({@code flux*} matches {@code flux-dev.safetensors} and
 * {@code flux/schnell.safetensors});</li>
 * <li>otherwise exactly, where a trailing {@code .safetensors} on either side does not count (requests usually
 * leave it out), so {@code secret} and {@code secret.safetensors} match each other.</li>
 * </ul>
 * Every comparison ignores case (as SwarmUI resolves a requested model name), reads {@code \} as {@code /} and
 * ignores leading {@code /}. A model is allowed when the whitelist is empty or one of its entries matches, and no
 * blacklist entry matches. Blank entries are ignored; an entry {@code *} matches every model.
 */
public final class ModelRules {
    /** Empty lists: every model is allowed. */
    public static final ModelRules ALLOW_ALL = new ModelRules(List.of(), List.of());
    private static final String SAFETENSORS = ".safetensors";

    private final List<String> whitelist;
    private final List<String> blacklist;

    /**
     * @param whitelist the entries of which one must match, or empty to allow every model not blacklisted
     * @param blacklist the entries none of which may match
     */
    public ModelRules(List<String> whitelist, List<String> blacklist) {
        this.whitelist = entries(requireNonNull(whitelist, "whitelist is null"));
        this.blacklist = entries(requireNonNull(blacklist, "blacklist is null"));
    }

    /**
     * Splits a role's comma-separated list into its entries, trimmed, blank ones left out.
     *
     * @param text e.g. {@code "sdxl/, flux*,base"}
     * @return e.g. {@code [sdxl/, flux*, base]}
     */
    public static List<String> split(String text) {
        List<String> entries = new ArrayList<>();
        for (String entry : requireNonNull(text, "text is null").split(",")) {
            if (!entry.isBlank()) {
                entries.add(entry.trim());
            }
        }
        return List.copyOf(entries);
    }

    /** @return whether a model of this name is allowed */
    public boolean allows(String model) {
        String name = normalized(requireNonNull(model, "model is null"));
        return (whitelist.isEmpty() || matchesAny(whitelist, name)) && !matchesAny(blacklist, name);
    }

    /** @return whether both lists are empty, so every model is allowed */
    public boolean allowsAll() {
        return whitelist.isEmpty() && blacklist.isEmpty();
    }

    private static boolean matchesAny(List<String> entries, String name) {
        for (String entry : entries) {
            if (matches(entry, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String entry, String name) {
        if (entry.endsWith("/")) {
            return name.startsWith(entry);
        }
        if (entry.endsWith("*")) {
            return name.startsWith(entry.substring(0, entry.length() - 1));
        }
        return withoutSafetensors(entry).equals(withoutSafetensors(name));
    }

    private static List<String> entries(List<String> raw) {
        List<String> entries = new ArrayList<>();
        for (String entry : raw) {
            if (entry != null && !entry.isBlank()) {
                entries.add(normalized(entry.trim()));
            }
        }
        return List.copyOf(entries);
    }

    private static String normalized(String name) {
        String slashes = name.replace('\\', '/').toLowerCase(Locale.ROOT);
        int start = 0;
        while (start < slashes.length() && slashes.charAt(start) == '/') {
            start++;
        }
        return slashes.substring(start);
    }

    private static String withoutSafetensors(String name) {
        String key = name;
        while (key.endsWith(SAFETENSORS)) {
            key = key.substring(0, key.length() - SAFETENSORS.length());
        }
        return key;
    }

    @Override
    public String toString() {
        return "ModelRules[whitelist=" + whitelist + ", blacklist=" + blacklist + "]";
    }
}
