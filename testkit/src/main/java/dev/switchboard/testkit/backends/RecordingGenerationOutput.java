package dev.switchboard.testkit.backends;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.generation.GenerationOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link GenerationOutput} for tests of generators: records every progress report, preview and image in the
 * order they arrived, from any thread. Like the host, it ignores calls once the job is over: call {@link #close()}
 * when {@code generate} has returned, and later calls are kept apart ({@link #lateEvents()}), never among
 * {@link #events()}, and never thrown at the caller. Thread-safe.
 */
public final class RecordingGenerationOutput implements GenerationOutput {

    /** One thing a generator reported. */
    public sealed interface Event permits Progress, Preview, Image {
    }

    /**
     * A progress report.
     *
     * @param overall the whole job's progress
     * @param current the current step's progress
     */
    public record Progress(double overall, double current) implements Event {
    }

    /**
     * A preview picture.
     *
     * @param data the encoded picture
     * @param mediaType its media type as the generator gave it
     */
    public record Preview(byte[] data, String mediaType) implements Event {
    }

    /**
     * A finished image.
     *
     * @param data the encoded image
     * @param mediaType its media type as the generator gave it
     */
    public record Image(byte[] data, String mediaType) implements Event {
    }

    // All guarded by this.
    private final List<Event> events = new ArrayList<>();
    private final List<Event> lateEvents = new ArrayList<>();
    private boolean closed;

    @Override
    public void progress(double overall, double current) {
        record(new Progress(overall, current));
    }

    @Override
    public void preview(byte[] image, String mediaType) {
        record(new Preview(requireNonNull(image, "image is null").clone(), requireNonNull(mediaType, "mediaType is null")));
    }

    @Override
    public void image(byte[] data, String mediaType) {
        record(new Image(requireNonNull(data, "data is null").clone(), requireNonNull(mediaType, "mediaType is null")));
    }

    /**
     * Ends the job, as the host does when {@code generate} returns: later calls are ignored.
     */
    public synchronized void close() {
        closed = true;
    }

    /** @return every event recorded before {@link #close()}, in order */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** @return the progress reports, in order */
    public List<Progress> progress() {
        return only(Progress.class);
    }

    /** @return the previews, in order */
    public List<Preview> previews() {
        return only(Preview.class);
    }

    /** @return the finished images, in order */
    public List<Image> images() {
        return only(Image.class);
    }

    /**
     * Returns what arrived after {@link #close()}: the host ignores such calls, so a late image is lost.
     *
     * @return the late events, in order
     */
    public synchronized List<Event> lateEvents() {
        return List.copyOf(lateEvents);
    }

    /**
     * Waits until an event matching {@code condition} has been recorded.
     *
     * @param condition what to wait for, e.g. {@code event -> event instanceof Progress}
     * @param timeout how long to wait at most
     * @return true when such an event was recorded, false when the time ran out first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public synchronized boolean await(Predicate<Event> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.stream().noneMatch(condition)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private synchronized void record(Event event) {
        if (closed) {
            lateEvents.add(event);
            return;
        }
        events.add(event);
        notifyAll();
    }

    private <T extends Event> List<T> only(Class<T> kind) {
        return events().stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
