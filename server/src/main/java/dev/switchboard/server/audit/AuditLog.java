package dev.switchboard.server.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.switchboard.server.http.ApiAudit;
import dev.switchboard.server.http.ApiJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log file: one JSON object per line ({@link AuditEntry}), appended and handed to the operating system
 * as each entry is recorded (not forced to disk: an entry follows a change that is). The file is created readable
 * by its owner only (entries name users and where they called from). When the next entry would take it past
 * {@link #MAX_FILE_BYTES}, it becomes {@code audit.log.1} (the older ones move up, the oldest beyond
 * {@link #KEPT_FILES} is dropped) and a new file starts. Writing fails soft: the change is done, so a full disk
 * costs the entry and a log line, not the answer. Thread-safe.
 */
public final class AuditLog implements ApiAudit {
    /** The file's name in the data directory. */
    public static final String FILE_NAME = "audit.log";
    /** The size past which the file is rotated: 10 MiB. */
    public static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
    /** How many rotated files are kept beside the current one. */
    public static final int KEPT_FILES = 2;

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final Path file;
    private final long maxFileBytes;
    private final int keptFiles;
    private final Clock clock;
    private final Object lock = new Object();

    /** The audit log of a data directory, {@code <data>/audit.log}, with the production rotation. */
    public AuditLog(Path dataDirectory, Clock clock) {
        this(dataDirectory.resolve(FILE_NAME), MAX_FILE_BYTES, KEPT_FILES, clock);
    }

    AuditLog(Path file, long maxFileBytes, int keptFiles, Clock clock) {
        this.file = requireNonNull(file, "file is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (maxFileBytes < 1 || keptFiles < 0) {
            throw new IllegalArgumentException("maxFileBytes must be positive and keptFiles not negative");
        }
        this.maxFileBytes = maxFileBytes;
        this.keptFiles = keptFiles;
    }

    /** @return the current file */
    public Path file() {
        return file;
    }

    @Override
    public void record(String route, String user, String address, String target, String outcome) {
        AuditEntry entry = new AuditEntry(clock.instant(), user, address, route, target, outcome);
        byte[] line = (ApiJson.write(entry.toJson()) + "\n").getBytes(UTF_8);
        synchronized (lock) {
            try {
                rotateIfFull(line.length);
                append(line);
            } catch (IOException | RuntimeException e) {
                LOG.error("Could not write to the audit log {}: {} ({} by '{}' on '{}': {})", file, e.toString(),
                        route, user, target, outcome);
            }
        }
    }

    /**
     * Reads the newest entries, from the current file and then the rotated ones. Lines that are not entries (one
     * torn by a crash) are skipped.
     *
     * @param limit how many entries at most
     * @return the entries, newest first
     * @throws IOException when a file exists but cannot be read
     */
    public List<AuditEntry> newest(int limit) throws IOException {
        List<AuditEntry> entries = new ArrayList<>();
        synchronized (lock) {
            for (int index = 0; index <= keptFiles && entries.size() < limit; index++) {
                List<String> lines = lines(numbered(index));
                for (int i = lines.size() - 1; i >= 0 && entries.size() < limit; i--) {
                    parse(lines.get(i)).ifPresent(entries::add);
                }
            }
        }
        return entries;
    }

    private void rotateIfFull(int adding) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return;
        }
        if (size == 0 || size + adding <= maxFileBytes) {
            return;
        }
        if (keptFiles == 0) {
            Files.delete(file);
            return;
        }
        Files.deleteIfExists(numbered(keptFiles));
        for (int index = keptFiles - 1; index >= 0; index--) {
            Path from = numbered(index);
            if (Files.exists(from)) {
                Files.move(from, numbered(index + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private void append(byte[] line) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND), ownerOnly())) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    private Path numbered(int index) {
        return index == 0 ? file : file.resolveSibling(file.getFileName() + "." + index);
    }

    private static List<String> lines(Path path) throws IOException {
        try {
            return new String(Files.readAllBytes(path), UTF_8).lines().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private static Optional<AuditEntry> parse(String line) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonElement json = JsonParser.parseString(line);
            return json.isJsonObject() ? AuditEntry.fromJson(json.getAsJsonObject()) : Optional.empty();
        } catch (JsonParseException e) {
            return Optional.empty();
        }
    }

    private FileAttribute<?>[] ownerOnly() {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }
}
