package dev.switchboard.server.store;

/** Another Switchboard server (another process, or another store in this JVM) already uses the data directory. */
public final class DataDirectoryLockedException extends StoreException {

    public DataDirectoryLockedException(String message) {
        super(message);
    }
}
