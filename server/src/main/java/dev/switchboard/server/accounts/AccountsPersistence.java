package dev.switchboard.server.accounts;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.store.StoreException;
import java.util.Optional;

/** Where the accounts are kept: the users file in the data directory. */
public interface AccountsPersistence {

    /**
     * Reads the accounts at start-up, never changing the file.
     *
     * @return the state to serve; when the file cannot be used, a problem saying so (then every change is refused)
     */
    Loaded load();

    /**
     * Durably replaces the stored accounts; once this returns, the new state survives a crash.
     *
     * @throws StoreException when it could not be saved; the stored state is then still the previous one
     */
    void save(AccountsState state) throws StoreException;

    /**
     * What loading found.
     *
     * @param state the accounts to serve
     * @param problem why the file cannot be used, when it cannot
     */
    record Loaded(AccountsState state, Optional<String> problem) {
        public Loaded {
            requireNonNull(state, "state is null");
            requireNonNull(problem, "problem is null");
        }
    }
}
