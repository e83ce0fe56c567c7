package dev.switchboard.server.routes.accounts;

import dev.switchboard.server.accounts.AccountsPersistence;
import dev.switchboard.server.accounts.AccountsState;
import dev.switchboard.server.store.StoreException;
import java.util.Optional;

/** Accounts kept in memory for route tests: counts saves, so a test sees that a refusal saved nothing. */
final class MemoryAccountsPersistence implements AccountsPersistence {
    private AccountsState saved = AccountsState.initial();
    private int saves;

    @Override
    public synchronized Loaded load() {
        return new Loaded(saved, Optional.empty());
    }

    @Override
    public synchronized void save(AccountsState state) throws StoreException {
        saved = state;
        saves++;
    }

    synchronized AccountsState saved() {
        return saved;
    }

    synchronized int saves() {
        return saves;
    }
}
