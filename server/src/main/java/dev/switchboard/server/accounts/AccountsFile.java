package dev.switchboard.server.accounts;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.store.DurableDocument;
import dev.switchboard.server.store.StoreException;
import dev.switchboard.server.store.StoreUnavailableException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users file, {@code <data-dir>/users.json}, kept by the store's {@link DurableDocument} with the guarantees
 * of {@code backends.json}: a save is on disk (temporary file, fsync, read back, atomic rename, directory fsync)
 * before {@link #save} returns, the five previous versions are kept as {@code users.json.1} to {@code .5}, the
 * files are readable by their owner only, and a file that cannot be read is never overwritten (a copy is kept,
 * the newest readable backup is served, every save is refused). A missing file loads
 * {@link AccountsState#initial()}.
 *
 * <p>The caller must hold the data directory's lock from {@link #load} to its last {@link #save} (a running
 * server's backends store holds it; {@code switchboard user ...} takes it), and must {@link #load} first.
 * Thread-safe.
 */
public final class AccountsFile implements AccountsPersistence {
    /** The file's name in the data directory. */
    public static final String FILE_NAME = "users.json";

    private static final Logger LOG = LoggerFactory.getLogger(AccountsFile.class);

    private final DurableDocument<AccountsState> document;
    /** Set when the file could not even be opened; every save is then refused with it. */
    private volatile Optional<String> openProblem = Optional.empty();

    /** @param dataDirectory the server's data directory (existing, locked by the caller) */
    public AccountsFile(Path dataDirectory) {
        this.document = DurableDocument.of(requireNonNull(dataDirectory, "dataDirectory is null").resolve(FILE_NAME),
                new AccountsFileCodec(), AccountsState.initial());
    }

    /** @return the users file, absolute */
    public Path file() {
        return document.file();
    }

    @Override
    public Loaded load() {
        try {
            DurableDocument.Loaded<AccountsState> loaded = document.load();
            return new Loaded(loaded.state(), loaded.problem());
        } catch (StoreException e) {
            // Not even the leftovers of a crashed save could be cleared: serve nothing, change nothing.
            String problem = e.getMessage() + ". No users are loaded, and every change is refused. Fix the"
                    + " data directory's permissions, then restart Switchboard.";
            LOG.error(problem);
            openProblem = Optional.of(problem);
            return new Loaded(AccountsState.initial(), openProblem);
        }
    }

    @Override
    public void save(AccountsState state) throws StoreException {
        requireNonNull(state, "state is null");
        Optional<String> problem = openProblem;
        if (problem.isPresent()) {
            throw new StoreUnavailableException(problem.get());
        }
        document.replace(state);
    }
}
