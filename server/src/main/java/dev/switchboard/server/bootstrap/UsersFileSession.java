package dev.switchboard.server.bootstrap;

import dev.switchboard.server.accounts.AccountsFile;
import dev.switchboard.server.accounts.AccountsPersistence;
import dev.switchboard.server.accounts.AccountsState;
import dev.switchboard.server.files.DurableFiles;
import dev.switchboard.server.store.DataDirectoryLock;
import dev.switchboard.server.store.DataDirectoryLockedException;
import dev.switchboard.server.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The users file of a data directory no server is using, for {@code switchboard user ...}: the directory is
 * created if needed, its lock taken (a running server holds it, and then nothing is read or written), and the
 * file loaded; a file that cannot be used refuses the command. Closing releases the lock.
 */
final class UsersFileSession implements AutoCloseable {
    private final DataDirectoryLock lock;
    private final AccountsFile file;
    private final AccountsState state;

    private UsersFileSession(DataDirectoryLock lock, AccountsFile file, AccountsState state) {
        this.lock = lock;
        this.file = file;
        this.state = state;
    }

    /**
     * @param dataDirectory the server's data directory
     * @param whileRunning what to do instead while a server runs, e.g. "use AdminAddUser from an owner's session"
     * @throws CommandRefusedException when a server uses the directory, or the users file cannot be used
     */
    static UsersFileSession open(Path dataDirectory, String whileRunning) throws CommandRefusedException {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        createDirectory(directory);
        DataDirectoryLock lock;
        try {
            lock = DataDirectoryLock.acquire(directory);
        } catch (DataDirectoryLockedException e) {
            throw new CommandRefusedException("the data directory " + directory + " is in use by a running Switchboard"
                    + " server: stop the server first, or " + whileRunning);
        } catch (StoreException e) {
            throw new CommandRefusedException(e.getMessage());
        }
        try {
            AccountsFile file = new AccountsFile(directory);
            AccountsPersistence.Loaded loaded = file.load();
            if (loaded.problem().isPresent()) {
                throw new CommandRefusedException(loaded.problem().get());
            }
            return new UsersFileSession(lock, file, loaded.state());
        } catch (CommandRefusedException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static void createDirectory(Path directory) throws CommandRefusedException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory);
            // The new directory's own entry must be durable too, or a power loss can take the file with it.
            if (directory.getParent() != null) {
                DurableFiles.forceDirectory(directory.getParent());
            }
        } catch (IOException e) {
            throw new CommandRefusedException("could not create the data directory " + directory + ": " + e);
        }
    }

    /** @return the accounts as loaded */
    AccountsState state() {
        return state;
    }

    /** @return the users file */
    Path file() {
        return file.file();
    }

    /**
     * Saves durably.
     *
     * @throws CommandRefusedException when it could not be saved (the file then holds its previous version)
     */
    void save(AccountsState newState) throws CommandRefusedException {
        try {
            file.save(newState);
        } catch (StoreException e) {
            throw new CommandRefusedException(e.getMessage());
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}
