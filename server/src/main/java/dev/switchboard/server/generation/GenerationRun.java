package dev.switchboard.server.generation;

import dev.switchboard.server.dispatch.Dispatcher;
import dev.switchboard.server.dispatch.Job;
import dev.switchboard.server.dispatch.JobState;
import dev.switchboard.server.outputs.RequestStamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's jobs while they run: relays their progress and images to the sink, reports the first failure
 * (and cancels the other jobs, unless the request continues after errors), and tells the waiting transport when
 * every job has ended, with a final error when no image came.
 */
public final class GenerationRun {
    static final String INTERRUPTED = "Generation session interrupted.";
    static final String NOTHING_MADE = "No images were generated (all refused, or failed - check server logs for"
            + " details).";
    private static final Logger LOG = LoggerFactory.getLogger(GenerationRun.class);

    private final Dispatcher dispatcher;
    private final GenerationRequest request;
    private final GenerationSink sink;
    private final long id;
    private List<Job> jobs = List.of();
    /** The last progress of each job, by its first batch index: previews come without one. Guarded by this. */
    private final Map<Integer, double[]> lastProgress = new HashMap<>();
    private int ended;
    private int images;
    private boolean errorSent;
    private boolean cancelled;
    private final RequestStamp stamp;

    GenerationRun(Dispatcher dispatcher, GenerationRequest request, GenerationSink sink, long id, RequestStamp stamp) {
        this.dispatcher = dispatcher;
        this.request = request;
        this.sink = sink;
        this.id = id;
        this.stamp = stamp;
    }

    /** @return the request's number on this server, SwarmUI's {@code request_id} */
    public long id() {
        return id;
    }

    synchronized void jobs(List<Job> all) {
        jobs = List.copyOf(all);
    }

    /** @return when the request came and its number in that minute, which its saved images are named by */
    RequestStamp stamp() {
        return stamp;
    }

    /**
     * Waits until every job has ended, telling the sink it is alive at least every {@code keepAliveEvery}; then,
     * when no image came and no error was reported, reports why.
     *
     * @return false when interrupted (the jobs were cancelled)
     */
    public boolean awaitEnd(Duration keepAliveEvery) {
        synchronized (this) {
            try {
                while (ended < jobs.size()) {
                    long before = System.nanoTime();
                    wait(keepAliveEvery.toMillis());
                    if (ended < jobs.size() && System.nanoTime() - before >= keepAliveEvery.toNanos()) {
                        sink.keepAlive();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel(INTERRUPTED);
                return false;
            }
            if (images == 0 && !errorSent) {
                errorSent = true;
                sink.error(cancelled ? INTERRUPTED : NOTHING_MADE);
            }
            return true;
        }
    }

    /** Cancels every job of the request that has not ended (its client went away). */
    public void cancel(String reason) {
        List<Job> all;
        synchronized (this) {
            all = jobs;
        }
        for (Job job : all) {
            if (!job.state().ended()) {
                dispatcher.cancel(job, reason);
            }
        }
    }

    void jobChanged(Job job, String message) {
        List<Job> others = List.of();
        synchronized (this) {
            if (job.state() == JobState.FAILED) {
                if (request.continueAfterErrors() || errorSent) {
                    LOG.warn("{} of request {} failed: {}", job, id, message);
                } else {
                    errorSent = true;
                    sink.error(message);
                    others = jobs;
                }
            } else if (job.state() == JobState.CANCELLED) {
                cancelled = true;
            }
            if (job.state().ended()) {
                ended++;
                sink.keepAlive();
                notifyAll();
            }
        }
        for (Job other : others) {
            if (other != job && !other.state().ended()) {
                dispatcher.cancel(other, "Another image of the request failed.");
            }
        }
    }

    void progress(int batchIndex, double overall, double current, String preview) {
        double[] values;
        synchronized (this) {
            values = lastProgress.computeIfAbsent(batchIndex, key -> new double[2]);
            if (overall >= 0) {
                values[0] = overall;
                values[1] = current;
            }
            values = values.clone();
        }
        sink.progress(batchIndex, values[0], values[1], preview);
    }

    void image(int batchIndex, String image, String metadata) {
        synchronized (this) {
            images++;
        }
        sink.image(batchIndex, image, metadata, request.forwardSwarmData() ? request.usedParameters() : null);
    }
}
