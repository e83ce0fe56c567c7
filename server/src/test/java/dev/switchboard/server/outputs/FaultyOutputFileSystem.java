package dev.switchboard.server.outputs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real file system with one fault put in: the chosen step fails at its chosen occurrence, after doing part of
 * its work where that can happen for real (a write that stops half-way leaves half a file, as a full disk does).
 */
final class FaultyOutputFileSystem implements OutputFileSystem {

    /** Where the fault is. */
    enum Step { CREATE_DIRECTORIES, LIST, WRITE, FORCE, PUBLISH, FORCE_DIRECTORY }

    private final OutputFileSystem real = new NioOutputFileSystem();
    private final Step step;
    private final int occurrence;
    private final Throwable fault;
    private final AtomicInteger seen = new AtomicInteger();

    /**
     * @param occurrence which call of the step fails, 1 for the first
     * @param fault an IOException, RuntimeException or Error to throw
     */
    FaultyOutputFileSystem(Step step, int occurrence, Throwable fault) {
        this.step = step;
        this.occurrence = occurrence;
        this.fault = fault;
    }

    private void maybeFail(Step at) throws IOException {
        if (at == step && seen.incrementAndGet() == occurrence) {
            if (fault instanceof IOException io) {
                throw io;
            }
            if (fault instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) fault;
        }
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        maybeFail(Step.CREATE_DIRECTORIES);
        real.createDirectories(directory);
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        maybeFail(Step.LIST);
        return real.list(directory);
    }

    @Override
    public void write(Path file, byte[] content) throws IOException {
        if (step == Step.WRITE && seen.get() + 1 == occurrence) {
            // Half of the bytes reach the disk before the device is full.
            Files.write(file, Arrays.copyOf(content, content.length / 2), StandardOpenOption.CREATE_NEW);
        }
        maybeFail(Step.WRITE);
        real.write(file, content);
    }

    @Override
    public void force(Path file) throws IOException {
        maybeFail(Step.FORCE);
        real.force(file);
    }

    @Override
    public void publish(Path source, Path target) throws IOException {
        maybeFail(Step.PUBLISH);
        real.publish(source, target);
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        real.deleteIfExists(file);
    }

    @Override
    public void forceDirectory(Path directory) throws IOException {
        maybeFail(Step.FORCE_DIRECTORY);
        real.forceDirectory(directory);
    }
}
