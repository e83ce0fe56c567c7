package dev.switchboard.server.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StoreFileSystem} that makes one chosen call fail, either instead of acting or right after
 * acting, and optionally every call after it too (as if the process had died there). Records the calls
 * that completed so a test can tell whether the file was already replaced.
 */
final class FaultInjectingFileSystem implements StoreFileSystem {

    /** Where and how the armed call fails. */
    enum Fault {
        /** The call fails without acting; later calls work (a plain I/O error). */
        FAIL_BEFORE(false, false),
        /** The call acts, then reports failure; later calls work. */
        FAIL_AFTER(true, false),
        /** The call and every later one fail without acting (the process died before it). */
        CRASH_BEFORE(false, true),
        /** The call acts, then it and every later one fail (the process died right after it). */
        CRASH_AFTER(true, true);

        final boolean actsFirst;
        final boolean crashes;

        Fault(boolean actsFirst, boolean crashes) {
            this.actsFirst = actsFirst;
            this.crashes = crashes;
        }
    }

    /** One completed call. */
    record Call(String action, Path path, Path target) {
    }

    @FunctionalInterface
    private interface Action<T> {
        T run() throws IOException;
    }

    private final StoreFileSystem delegate = new NioStoreFileSystem();
    private final List<Call> completed = new ArrayList<>();
    private int callsUntilFault = -1;
    private Fault fault;
    private boolean triggered;
    private boolean crashed;

    /** Makes the call with index {@code callIndex} (0 = the next call) fail as {@code fault} says. */
    void arm(int callIndex, Fault fault) {
        this.callsUntilFault = callIndex;
        this.fault = fault;
        this.triggered = false;
        this.crashed = false;
        this.completed.clear();
    }

    boolean triggered() {
        return triggered;
    }

    List<Call> completedCalls() {
        return List.copyOf(completed);
    }

    private <T> T call(String action, Path path, Path target, Action<T> work) throws IOException {
        if (crashed) {
            throw new IOException("injected: the process is gone");
        }
        boolean failHere = callsUntilFault == 0;
        if (callsUntilFault >= 0) {
            callsUntilFault--;
        }
        if (!failHere) {
            T result = work.run();
            completed.add(new Call(action, path, target));
            return result;
        }
        triggered = true;
        crashed = fault.crashes;
        if (fault.actsFirst) {
            work.run();
            completed.add(new Call(action, path, target));
        }
        throw new IOException("injected failure at " + action + " " + path.getFileName());
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        call("createDirectories", directory, null, () -> {
            delegate.createDirectories(directory);
            return null;
        });
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        return call("list", directory, null, () -> delegate.list(directory));
    }

    @Override
    public byte[] read(Path file) throws IOException {
        return call("read", file, null, () -> delegate.read(file));
    }

    @Override
    public void write(Path file, byte[] content) throws IOException {
        call("write", file, null, () -> {
            delegate.write(file, content);
            return null;
        });
    }

    @Override
    public void force(Path file) throws IOException {
        call("force", file, null, () -> {
            delegate.force(file);
            return null;
        });
    }

    @Override
    public void replaceAtomically(Path source, Path target) throws IOException {
        call("replaceAtomically", source, target, () -> {
            delegate.replaceAtomically(source, target);
            return null;
        });
    }

    @Override
    public void linkOrCopy(Path existing, Path link) throws IOException {
        call("linkOrCopy", existing, link, () -> {
            delegate.linkOrCopy(existing, link);
            return null;
        });
    }

    @Override
    public void delete(Path file) throws IOException {
        call("delete", file, null, () -> {
            delegate.delete(file);
            return null;
        });
    }

    @Override
    public void forceDirectory(Path directory) throws IOException {
        call("forceDirectory", directory, null, () -> {
            delegate.forceDirectory(directory);
            return null;
        });
    }
}
