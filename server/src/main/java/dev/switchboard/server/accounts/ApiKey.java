package dev.switchboard.server.accounts;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored API key: the key itself is shown once at creation and kept only as its SHA-256 (a key is 256 random
 * bits, so a fast hash is safe and lets a request find its key by hash).
 *
 * @param id the key's public id, shown in lists and used to revoke it
 * @param user the user the key acts as
 * @param label what its owner called it
 * @param keyHash lower-case hex SHA-256 of the key's text
 * @param created when it was made
 * @param expires when it stops working; empty for never
 */
public record ApiKey(String id, String user, String label, String keyHash, Instant created,
                     Optional<Instant> expires) {

    public ApiKey {
        requireNonNull(id, "id is null");
        requireNonNull(user, "user is null");
        requireNonNull(label, "label is null");
        requireNonNull(keyHash, "keyHash is null");
        requireNonNull(created, "created is null");
        requireNonNull(expires, "expires is null");
    }

    /** @return whether the key has expired at {@code now} */
    public boolean expiredAt(Instant now) {
        return expires.map(end -> !now.isBefore(end)).orElse(false);
    }

    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", user=" + user + ", label=" + label + "]";
    }
}
