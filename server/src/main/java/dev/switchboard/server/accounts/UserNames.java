package dev.switchboard.server.accounts;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for user and role names: 1 to 64 characters of {@code [a-z0-9._-]}, starting with a letter or digit,
 * compared lower-case. A user's name is also their outputs folder, which is why it is this narrow. Also the
 * rule for passwords' lengths.
 */
public final class UserNames {
    /** The fewest characters a password may have (SwarmUI's minimum). */
    public static final int MIN_PASSWORD_LENGTH = 8;
    /** The most characters a password may have: hashing cost grows with it, and nobody types more. */
    public static final int MAX_PASSWORD_LENGTH = 1024;

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
     * @return the stored form of a name someone typed (trimmed, lower-cased), or empty when it is not valid
     */
    public static Optional<String> normalize(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        String trimmed = typed.strip();
        if (!VALID_TYPED.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        return Optional.of(lowerAscii(trimmed));
    }

    /**
     * The form to look a typed name up by: trimmed, ASCII letters lower-cased, nothing else changed (an invalid
     * name then matches no one).
     */
    static String key(String typed) {
        return lowerAscii(typed.strip());
    }

    /**
     * @return whether a name is kept for the single user of a server without accounts ({@code local}): the page and
     *     clients tell that mode by it, so no account may have it
     */
    public static boolean isReserved(String name) {
        return "local".equals(name);
    }

    /** @return why a reserved name is refused */
    public static String reservedMessage(String name) {
        return "The name '" + name + "' is kept for the single user of a server without accounts; choose another.";
    }

    /** @return the rule, for messages */
    public static String rule() {
        return "1 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit";
    }

    /**
     * @param what "user" or "role", for the message
     * @return the stored form of a typed name
     * @throws AccountException when it is not a valid name
     */
    static String checked(String typed, String what) throws AccountException {
        String name = normalize(typed).orElseThrow(
                () -> new AccountException("A " + what + " name must be " + rule() + "."));
        if (what.equals("user") && isReserved(name)) {
            throw new AccountException(reservedMessage(name));
        }
        return name;
    }

    /** @throws AccountException when the password is too short or too long (never says what it is) */
    public static void checkPassword(String password) throws AccountException {
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new AccountException("A password must have at least " + MIN_PASSWORD_LENGTH + " characters.");
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw new AccountException("A password may have at most " + MAX_PASSWORD_LENGTH + " characters.");
        }
    }

    private static String lowerAscii(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            lower.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return lower.toString();
    }
}
