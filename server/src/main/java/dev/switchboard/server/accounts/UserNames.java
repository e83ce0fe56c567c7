package dev.switchboard.server.accounts;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for user names: 1 to 64 characters of {@code [a-z0-9._-]}, starting with a letter or digit, compared
 * lower-case. A name is also the user's outputs folder, which is why it is this narrow.
 */
public final class UserNames {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    // ASCII only before lower-casing: Locale.ROOT would turn the Kelvin sign into a 'k'.
    private static final Pattern VALID_TYPED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private UserNames() {
    }

    /** @return whether {@code name} is a valid stored name (already lower-case) */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /**
     * @return the stored form of a name someone typed (lower-cased), or empty when it is not valid
     */
    public static Optional<String> normalize(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        if (!VALID_TYPED.matcher(typed).matches()) {
            return Optional.empty();
        }
        return Optional.of(typed.toLowerCase(Locale.ROOT));
    }

    /** @return the rule, for messages */
    public static String rule() {
        return "1 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit";
    }
}
