package dev.switchboard.server.accounts;

/**
 * A new API key and its text, which is shown only here.
 *
 * @param key the stored key (its hash, not its text)
 * @param text the key itself, for the one answer that shows it
 */
public record CreatedKey(ApiKey key, String text) {
    @Override
    public String toString() {
        return "CreatedKey[" + key + "]";
    }
}
