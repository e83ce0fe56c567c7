package dev.switchboard.server.store;

/**
 * A save was refused because {@code backends.json} could not be read at start-up: writing would destroy
 * whatever the operator may still recover from it. The message is the store's {@link BackendStore#problem()}.
 */
public final class StoreUnavailableException extends StoreException {

    public StoreUnavailableException(String message) {
        super(message);
    }
}
