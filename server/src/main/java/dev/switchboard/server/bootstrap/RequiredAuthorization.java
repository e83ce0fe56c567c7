package dev.switchboard.server.bootstrap;

import java.util.Map;
import java.util.Optional;

/**
 * Where the required {@code Authorization} value comes from: the {@code --required-authorization} flag, else the
 * environment variable {@value #VARIABLE}. Both are taken literally: the variable is read here rather than as a
 * picocli default value, because picocli expands {@code ${...}} and {@code $$} inside default values, which
 * turned {@code Bearer ${TOKEN}} into the guessable {@code Bearer null} and {@code ${x}} into no authorization
 * at all. A value that is empty after trimming is refused instead of meaning "no authorization".
 */
final class RequiredAuthorization {
    /** The environment variable that keeps the value out of {@code ps}. */
    static final String VARIABLE = "SWITCHBOARD_REQUIRED_AUTHORIZATION";

    private RequiredAuthorization() {
    }

    /**
     * Chooses the required authorization.
     *
     * @param flag the flag's value, null when the flag was not given
     * @param environment the process environment
     * @return the value, empty when neither the flag nor the variable is set
     * @throws IllegalArgumentException when the value given is empty after trimming
     */
    static Optional<String> resolve(String flag, Map<String, String> environment) {
        if (flag != null) {
            return Optional.of(requireNotBlank(flag, "--required-authorization"));
        }
        String variable = environment.get(VARIABLE);
        return variable == null ? Optional.empty() : Optional.of(requireNotBlank(variable, VARIABLE));
    }

    private static String requireNotBlank(String value, String source) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(source + " is empty: set it to the exact Authorization header every"
                    + " request must carry (e.g. \"Bearer <token>\"), or leave it unset for no authorization");
        }
        return value;
    }
}
