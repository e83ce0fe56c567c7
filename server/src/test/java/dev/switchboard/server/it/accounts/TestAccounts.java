package dev.switchboard.server.it.accounts;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.switchboard.server.accounts.AccountsFile;
import dev.switchboard.server.accounts.AccountsState;
import dev.switchboard.server.accounts.ApiKey;
import dev.switchboard.server.accounts.BuiltInRoles;
import dev.switchboard.server.accounts.PasswordHasher;
import dev.switchboard.server.accounts.UserAccount;
import dev.switchboard.server.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A users file written before a server starts (the account routes are not needed to set one up): users with
 * Argon2id hashes at a cheap cost (the server verifies any cost) and API keys stored, as the server keeps them,
 * as the SHA-256 of a key text the test chose. Used by the server's and the distribution's integration tests.
 */
public final class TestAccounts {
    /** Cheap enough for tests; the server checks a hash at the cost written in it. */
    public static final PasswordHasher.Cost CHEAP = new PasswordHasher.Cost(64, 1, 1);
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private final PasswordHasher hasher = new PasswordHasher(CHEAP);
    private final List<UserAccount> users = new ArrayList<>();
    private final List<ApiKey> keys = new ArrayList<>();

    /** Adds a user holding one built-in (or other) role. */
    public TestAccounts user(String name, String password, String role) {
        users.add(new UserAccount(name, hasher.hash(password), List.of(role), CREATED));
        return this;
    }

    /** Adds an API key of {@code user} whose text is {@code text}, never expiring. */
    public TestAccounts key(String user, String id, String text) {
        return key(user, id, text, Optional.empty());
    }

    /** Adds an API key of {@code user} whose text is {@code text}, expiring at {@code expires}. */
    public TestAccounts key(String user, String id, String text, Optional<Instant> expires) {
        keys.add(new ApiKey(id, user, "label of " + id, sha256(text), CREATED, expires));
        return this;
    }

    /** @return the users, the built-in roles and the keys */
    public AccountsState state() {
        return new AccountsState(users, BuiltInRoles.all(), keys);
    }

    /** Writes the users file into {@code dataDirectory} (created if missing) through the server's own writer. */
    public void writeTo(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
            AccountsFile file = new AccountsFile(dataDirectory);
            file.load();
            file.save(state());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (StoreException e) {
            throw new IllegalStateException("could not write the users file in " + dataDirectory, e);
        }
    }

    /** @return the lower-case hex SHA-256 of a key's text, as the users file keeps it */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
