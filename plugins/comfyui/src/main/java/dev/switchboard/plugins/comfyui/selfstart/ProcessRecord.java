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
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Switchboard knows about the process it launched, kept in {@code process.json} in the backend's work
 * directory while the process runs: pid, start instant and the arguments it was launched with. After a crash of
 * the server it tells a left-over ComfyUI apart from an unrelated process that got the same pid: only a live
 * process with the same start instant whose arguments end with the recorded ones is ours.
 *
 * <p>Why not the whole command line: a process keeps its pid and start instant across {@code exec}, but its
 * program and leading arguments change each time. {@code python3} is often a wrapper (a pyenv shim runs
 * {@code bash shim}, then {@code bash pyenv exec}, then the real interpreter), and a start script may {@code exec}
 * Python; each of them passes the launched arguments on at the end of its own. A command line read during one of
 * those steps never matched the final program, so the record made then refused to reap it (seen on a loaded
 * machine, where the steps take long enough to be caught). The start instant keeps the check safe: a process
 * that reused the pid started later, and the JDK derives the instant from the kernel's start tick the same way
 * on every reading, so it is compared exactly.
 *
 * @param pid the process id
 * @param startMillis the start instant in epoch milliseconds, as the OS reports it
 * @param arguments the arguments Switchboard launched the program with, program excluded
 */
record ProcessRecord(long pid, long startMillis, List<String> arguments) {

    private static final Gson GSON = new Gson();
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final String FILE_NAME = "process.json";

    /**
     * Describes a live process launched with these arguments, once the OS shows it running them: right after
     * the start it may still be the JDK's spawn helper.
     *
     * @param process the process
     * @param arguments the arguments it was launched with, program excluded
     * @return the record; empty while the process does not show the arguments, or when the OS does not say
     *         enough to recognise it later
     */
    static Optional<ProcessRecord> of(ProcessHandle process, List<String> arguments) {
        ProcessHandle.Info info = process.info();
        Optional<Instant> start = info.startInstant();
        if (start.isEmpty() || !endsWith(info, arguments)) {
            return Optional.empty();
        }
        return Optional.of(new ProcessRecord(process.pid(), start.get().toEpochMilli(), List.copyOf(arguments)));
    }

    /**
     * Writes the record atomically, readable by the owner only, and makes the directory owner-only too: the
     * arguments carry whatever the operator put in {@code ExtraArgs}.
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
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::describes);
    }

    /**
     * Tells whether a process is the recorded one: same pid, same start instant, and its arguments end with the
     * recorded ones (the program before them may have changed by {@code exec}).
     *
     * @param process the process
     * @return true when it is provably the recorded process
     */
    boolean describes(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        return process.pid() == pid && info.startInstant().map(Instant::toEpochMilli).equals(Optional.of(startMillis))
                && endsWith(info, arguments);
    }

    private static boolean endsWith(ProcessHandle.Info info, List<String> arguments) {
        // No arguments would prove nothing (a record from an older version has none: it is never matched).
        if (arguments == null || arguments.isEmpty()) {
            return false;
        }
        List<String> live = info.arguments().map(List::of).orElse(List.of());
        return live.size() >= arguments.size()
                && live.subList(live.size() - arguments.size(), live.size()).equals(arguments);
    }
}
