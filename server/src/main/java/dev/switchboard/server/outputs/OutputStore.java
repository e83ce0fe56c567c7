package dev.switchboard.server.outputs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.switchboard.server.outputs.OutputPathFormat.OutputPath;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the outputs of generation under {@code outputs/<user>/}, named with SwarmUI's default path format
 * ({@code raw/[year]-[month]-[day]/[hour][minute][request_time_inc]-[prompt]-[model]}), never replacing a file (a
 * name in use gets {@code -1}, {@code -2}, ...), each written atomically. A PNG carries its parameters in a text
 * chunk (keyword {@code parameters}); other formats are saved as they are, with a {@code <name>.swarm.json} side
 * file. Thread-safe.
 */
public final class OutputStore {
    /** How many names are tried before a save gives up (only reachable with a format that names every file alike). */
    static final int MAX_NAME_ATTEMPTS = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(OutputStore.class);
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*");
    private static final String SIDE_FILE_SUFFIX = ".swarm.json";

    private final Path root;
    private final Clock clock;
    private final OutputFileSystem fileSystem;
    private final OutputWriter writer;
    private final OutputPathFormat format = new OutputPathFormat(OutputPathFormat.DEFAULT);
    private final Object stampLock = new Object();
    /** Guarded by {@link #stampLock}. */
    private LocalDateTime stampMinute;
    /** Guarded by {@link #stampLock}. */
    private int stampIncrement;
    /** Names (without extension) being written right now; guarded by itself. */
    private final Set<Path> reserved = new HashSet<>();

    /**
     * @param root the outputs folder, {@code <data-dir>/outputs} (created when the first image is saved)
     * @param clock the time requests are stamped with, in the zone their folders and names use
     */
    public OutputStore(Path root, Clock clock) {
        this(root, clock, new NioOutputFileSystem());
    }

    OutputStore(Path root, Clock clock, OutputFileSystem fileSystem) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.clock = requireNonNull(clock, "clock is null");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        this.writer = new OutputWriter(fileSystem);
    }

    /** @return the outputs folder (absolute) */
    public Path root() {
        return root;
    }

    /**
     * Stamps a new generation request with the clock's time and its number within that minute (1, 2, ...; after
     * 999 it starts again at 1, as in SwarmUI). Call once per request; every image of it shares the stamp.
     */
    public RequestStamp stampRequest() {
        LocalDateTime now = LocalDateTime.now(clock);
        LocalDateTime minute = now.truncatedTo(ChronoUnit.MINUTES);
        synchronized (stampLock) {
            if (!minute.equals(stampMinute) || stampIncrement >= RequestStamp.MAX_INCREMENT) {
                stampMinute = minute;
                stampIncrement = 0;
            }
            stampIncrement++;
            return new RequestStamp(now, stampIncrement);
        }
    }

    /**
     * Saves one output image of a user.
     *
     * @param user the user id; cleaned into a folder name that can never leave {@code outputs/}
     * @param image the bytes exactly as the backend delivered them
     * @param mediaType their media type ({@code image/png}, {@code image/jpeg}, {@code image/webp}, ...; an unknown
     *     type is saved as {@code .dat})
     * @param description what the image is; names it and is embedded in it
     * @return the path clients fetch it with and the file
     * @throws OutputSaveException when it could not be written (nothing of it is left on disk), or a PNG is broken
     * @throws IllegalArgumentException when the user id has no usable character or is too long
     */
    public SavedOutput save(String user, byte[] image, String mediaType, OutputDescription description)
            throws OutputSaveException {
        requireNonNull(image, "image is null");
        requireNonNull(description, "description is null");
        String owner = OutputNames.user(user);
        String extension = MediaTypes.extensionFor(requireNonNull(mediaType, "mediaType is null"));
        String metadata = OutputMetadata.json(description);
        byte[] content = image;
        byte[] side = null;
        if (extension.equals("png")) {
            try {
                content = PngText.embed(image, OutputMetadata.PNG_KEYWORD, metadata);
            } catch (IllegalArgumentException e) {
                throw new OutputSaveException("The image is " + e.getMessage() + ".", e);
            }
        } else {
            side = metadata.getBytes(UTF_8);
        }
        OutputPath path = format.fill(description, owner);
        Path folder = root.resolve(owner);
        for (String name : path.folders()) {
            folder = folder.resolve(name);
        }
        try {
            fileSystem.createDirectories(folder);
        } catch (IOException e) {
            throw failure(folder, e);
        }
        int attempt = 0;
        while (true) {
            Reservation reservation = reserve(folder, path, attempt);
            try {
                String name = reservation.stem().getFileName().toString();
                writer.write(folder, name + "." + extension, content,
                        side == null ? null : name + SIDE_FILE_SUFFIX, side);
                String relative = root.relativize(folder).toString().replace('\\', '/');
                return new SavedOutput("View/" + relative + "/" + name + "." + extension,
                        folder.resolve(name + "." + extension));
            } catch (FileAlreadyExistsException e) {
                // Another program made that name meanwhile: take the next one.
                attempt = reservation.attempt() + 1;
            } catch (IOException | RuntimeException e) {
                throw failure(folder, e);
            } finally {
                synchronized (reserved) {
                    reserved.remove(reservation.stem());
                }
            }
        }
    }

    /**
     * A data URL of an image, for {@code donotsave}: {@code data:<media type>;base64,<bytes>}.
     *
     * @throws IllegalArgumentException when the media type is not a {@code type/subtype}
     */
    public static String toDataUrl(byte[] image, String mediaType) {
        String essence = MediaTypes.essence(requireNonNull(mediaType, "mediaType is null"));
        if (!MEDIA_TYPE.matcher(essence).matches()) {
            throw new IllegalArgumentException("Not a media type: " + mediaType);
        }
        return "data:" + essence + ";base64," + Base64.getEncoder().encodeToString(image);
    }

    /**
     * Chooses the first free name from the {@code from}-th candidate on: free means no file of the folder has it
     * as its name without extension (so {@code x.png} also blocks {@code x.jpg}, as in SwarmUI) and no save in
     * progress holds it.
     */
    private Reservation reserve(Path folder, OutputPath path, int from) throws OutputSaveException {
        synchronized (reserved) {
            Set<String> taken = new HashSet<>();
            try {
                for (String name : fileSystem.list(folder)) {
                    int dot = name.lastIndexOf('.');
                    taken.add(dot < 0 ? name : name.substring(0, dot));
                }
            } catch (IOException e) {
                throw failure(folder, e);
            }
            for (int attempt = from; attempt < MAX_NAME_ATTEMPTS; attempt++) {
                String candidate = path.candidate(attempt);
                Path stem = folder.resolve(candidate);
                if (!taken.contains(candidate) && reserved.add(stem)) {
                    return new Reservation(stem, attempt);
                }
            }
        }
        throw new OutputSaveException("Every name from " + path.candidate(from) + " on is taken in "
                + shown(folder) + ".");
    }

    private OutputSaveException failure(Path folder, Exception e) {
        LOG.warn("Could not save an image in {}", folder, e);
        return new OutputSaveException("Could not write to " + shown(folder) + ": " + reason(e) + ".", e);
    }

    /** The folder as users may see it: relative to the data directory, never an absolute path. */
    private String shown(Path folder) {
        Path name = root.getFileName();
        String relative = root.relativize(folder).toString().replace('\\', '/');
        return (name == null ? "outputs" : name.toString()) + (relative.isEmpty() ? "" : "/" + relative);
    }

    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return "a file is in the way of a folder";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileSystemException fileSystemError && fileSystemError.getReason() != null) {
            return fileSystemError.getReason(); // the reason alone, without the absolute paths of the message
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** A name held for one save: its path without extension and which candidate it is. */
    private record Reservation(Path stem, int attempt) {
    }
}
