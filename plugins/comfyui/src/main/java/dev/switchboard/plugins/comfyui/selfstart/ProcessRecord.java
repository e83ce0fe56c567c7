package dev.switchboard.plugins.comfyui.selfstart;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What Switchboard knows about the process it launched, kept in {@code process.json} in the backend's work
 * directory while the process runs: pid, start instant and command line. After a crash of the server it
 * tells a left-over ComfyUI apart from an unrelated process that got the same pid: only a live process with
 * the same start instant and the same command line is ours.
 *
 * @param pid the process id
 * @param startMillis the start instant in epoch milliseconds, as the OS reports it
 * @param commandLine the command line, as the OS reports it
 */
record ProcessRecord(long pid, long startMillis, String commandLine) {

    private static final Gson GSON = new Gson();
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final String FILE_NAME = "process.json";

    /**
     * Describes a live process, if the OS tells its start instant and command line.
     *
     * @param process the process
     * @return the record; empty when the OS does not say enough to recognise it later
     */
    static Optional<ProcessRecord> of(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        Optional<Instant> start = info.startInstant();
        Optional<String> commandLine = info.commandLine();
        if (start.isEmpty() || commandLine.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProcessRecord(process.pid(), start.get().toEpochMilli(), commandLine.get()));
    }

    /**
     * Writes the record atomically, readable by the owner only, and makes the directory owner-only too: the
     * command line carries whatever the operator put in {@code ExtraArgs}.
     *
     * @param directory the backend's work directory
     */
    void write(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        Path temporary = directory.resolve(FILE_NAME + ".tmp");
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
        }
        // Made anew with its mode set at creation, so the text is never readable by others, not even briefly.
        Files.deleteIfExists(temporary);
        FileAttribute<?>[] attributes = posix ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)} : new FileAttribute<?>[0];
        Files.createFile(temporary, attributes);
        Files.writeString(temporary, GSON.toJson(this), StandardCharsets.UTF_8);
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static Optional<ProcessRecord> read(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    ProcessRecord.class));
        } catch (IOException | JsonParseException e) {
            return Optional.empty();
        }
    }

    static void delete(Path directory) throws IOException {
        Files.deleteIfExists(directory.resolve(FILE_NAME));
    }

    /**
     * Finds the recorded process if it is still alive and provably the same one.
     *
     * @return the live process; empty when it is gone or the pid now belongs to someone else
     */
    Optional<ProcessHandle> findLive() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(process -> ProcessRecord.of(process).map(this::equals).orElse(false));
    }
}
