package dev.switchboard.server.accounts;

import java.util.Locale;
import java.util.regex.Pattern;

/** The rules for user and role names: also folder names, so short and plain. */
public final class UserNames {
    /** The most characters a name may have. */
    public static final int MAX_LENGTH = 64;
    /** The fewest characters a password may have (SwarmUI's minimum). */
    public static final int MIN_PASSWORD_LENGTH = 8;
    /** The most characters a password may have: hashing cost grows with it, and nobody types more. */
    public static final int MAX_PASSWORD_LENGTH = 1024;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private UserNames() {
    }

    /** @return the name as stored: trimmed and lower-cased */
    public static String normalize(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Checks a name (already normalized).
     *
     * @param what "user" or "role", for the message
     * @throws AccountException when it is not a valid name
     */
    public static void check(String name, String what) throws AccountException {
        if (!NAME.matcher(name).matches()) {
            throw new AccountException("A " + what + " name must be 1 to " + MAX_LENGTH + " characters of a-z, 0-9,"
                    + " '.', '_' or '-', starting with a letter or digit.");
        }
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
}
