package dev.switchboard.server.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link StoreFileSystem} on the real disk that holds the first save inside its fsync until released, so
 * a test can queue changes behind it, counts the saves that replaced the file, and can fail a chosen save.
 */
final class GatedFileSystem implements StoreFileSystem {
    private final StoreFileSystem delegate = new NioStoreFileSystem();
    private final CountDownLatch firstForceEntered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger forces = new AtomicInteger();
    private final AtomicInteger replacements = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private volatile int failingWrite = -1;

    void awaitFirstSaveHeld() throws InterruptedException {
        if (!firstForceEntered.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the first save never reached its fsync");
        }
    }

    void releaseFirstSave() {
        release.countDown();
    }

    /** Makes the temp-file write with this index (0 = the first save's) fail without writing. */
    void failWrite(int index) {
        failingWrite = index;
    }

    int replacements() {
        return replacements.get();
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        delegate.createDirectories(directory);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        return delegate.list(directory);
    }

    @Override
    public byte[] read(Path file) throws IOException {
        return delegate.read(file);
    }

    @Override
    public void write(Path file, byte[] content) throws IOException {
        if (file.getFileName().toString().contains(DurableFileWriter.TEMP_INFIX)
                && writes.getAndIncrement() == failingWrite) {
            throw new IOException("injected: the disk is full");
        }
        delegate.write(file, content);
    }

    @Override
    public void force(Path file) throws IOException {
        if (forces.getAndIncrement() == 0) {
            firstForceEntered.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("the test never released the first save");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        delegate.force(file);
    }

    @Override
    public void replaceAtomically(Path source, Path target) throws IOException {
        delegate.replaceAtomically(source, target);
        replacements.incrementAndGet();
    }

    @Override
    public void linkOrCopy(Path existing, Path link) throws IOException {
        delegate.linkOrCopy(existing, link);
    }

    @Override
    public void delete(Path file) throws IOException {
        delegate.delete(file);
    }

    @Override
    public void forceDirectory(Path directory) throws IOException {
        delegate.forceDirectory(directory);
    }
}
