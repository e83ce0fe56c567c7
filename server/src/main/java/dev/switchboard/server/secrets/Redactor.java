package dev.switchboard.server.secrets;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Removes the secret values of every backend from text that may have come back from an engine (a remote's
 * error, a process's output, an exception's message) before it reaches a status message, an API answer or a
 * log line. Each owner (a backend) registers its current secrets; text is redacted of all of them, longest
 * first. Thread-safe; redacting reads a snapshot and never locks.
 */
public final class Redactor {
    /** What a removed secret shows as. */
    public static final String REDACTED = "[redacted]";

    private final Map<Object, Set<String>> byOwner = new ConcurrentHashMap<>();
    private volatile List<String> all = List.of();

    /** Sets the secrets {@code owner} holds now, replacing those it held before (empty: none). */
    public void setSecrets(Object owner, Set<String> secrets) {
        requireNonNull(owner, "owner is null");
        if (secrets.isEmpty()) {
            if (byOwner.remove(owner) == null) {
                return;
            }
        } else if (secrets.equals(byOwner.put(owner, Set.copyOf(secrets)))) {
            return;
        }
        rebuild();
    }

    /** Forgets {@code owner}'s secrets. */
    public void remove(Object owner) {
        if (byOwner.remove(owner) != null) {
            rebuild();
        }
    }

    /** The text with every registered secret replaced by {@value #REDACTED}; null stays null. */
    public String redact(String text) {
        return redact(text, all);
    }

    /** The text with every registered secret and every one of {@code more} replaced. */
    public String redact(String text, Set<String> more) {
        if (more.isEmpty()) {
            return redact(text);
        }
        List<String> secrets = new ArrayList<>(all);
        secrets.addAll(more);
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        return redact(text, secrets);
    }

    private static String redact(String text, List<String> secrets) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            if (secret.length() >= SecretValues.MIN_REDACTED_LENGTH && result.contains(secret)) {
                result = result.replace(secret, REDACTED);
            }
        }
        return result;
    }

    private synchronized void rebuild() {
        TreeSet<String> union = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
                .thenComparing(Comparator.naturalOrder()));
        byOwner.values().forEach(union::addAll);
        all = List.copyOf(union);
    }
}
