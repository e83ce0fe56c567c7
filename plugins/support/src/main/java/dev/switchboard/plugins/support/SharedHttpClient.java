package dev.switchboard.plugins.support;

import static java.util.Objects.requireNonNull;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One JDK HTTP client for the many backends of a type: one selector thread, one pool of callback threads and
 * one connection pool (the JDK keeps connections per address) instead of a set per backend. For
 * {@code comfyui_api}, a server with a hundred running backends went from 420 threads and 353 open files to
 * 121 and 155, and from 284 MB to 246 MB resident (one measurement each). Made on the first {@link #lease()}
 * and let go with the last lease, so while no backend holds one no thread is kept for it. Calls go through a
 * {@link Lease}, each with a total deadline; closing a lease abandons its own calls, the others' go on. The
 * client speaks HTTP/1.1 (as ComfyUI's aiohttp and SwarmUI do; the default would send h2c upgrade headers
 * first) and never follows redirects. Thread-safe.
 */
public final class SharedHttpClient {
    private static final int CALLBACK_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final long IDLE_SECONDS = 5;

    private final Duration connectTimeout;
    private final String threadPrefix;

    // Guarded by this.
    private HttpClient client;
    private ExecutorService callbacks;
    private int leases;

    /**
     * Creates the holder; nothing is started until the first lease.
     *
     * @param connectTimeout how long opening a connection may take, for every client of this holder
     * @param threadPrefix the start of the callback threads' names, e.g. {@code comfyui-http}
     */
    public SharedHttpClient(Duration connectTimeout, String threadPrefix) {
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.threadPrefix = requireNonNull(threadPrefix, "threadPrefix is null");
    }

    /** @return how long opening a connection may take */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Takes a share of the client, making it when no share is held.
     *
     * @return the share; close it when done
     */
    public synchronized Lease lease() {
        if (leases == 0) {
            // The client's own executor, so the last lease can end its threads (the JDK's default one keeps idle
            // threads for a minute). Bounded: the callbacks only parse answers and report statuses, and a
            // growing pool took a thread per backend whose probe came due at the same moment as the others'.
            ThreadPoolExecutor pool = new ThreadPoolExecutor(CALLBACK_THREADS, CALLBACK_THREADS, IDLE_SECONDS,
                    TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new DaemonThreads(threadPrefix));
            pool.allowCoreThreadTimeOut(true);
            callbacks = pool;
            client = HttpClient.newBuilder()
                    .executor(callbacks)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        leases++;
        return new Lease(client);
    }

    /** @return how many leases are held */
    public synchronized int leases() {
        return leases;
    }

    private synchronized void release() {
        leases--;
        if (leases == 0) {
            // The JDK client has no close in Java 17: its selector thread ends once the client is unreachable.
            callbacks.shutdownNow();
            callbacks = null;
            client = null;
        }
    }

    /**
     * One share of the client, through which its holder sends its calls; closing it abandons the calls still in
     * flight and refuses new ones. Closing it more than once has no further effect.
     */
    public final class Lease implements AutoCloseable {
        private final HttpClient leased;
        private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
        // Guarded by SharedHttpClient.this for the release; volatile for send's checks.
        private volatile boolean closed;

        private Lease(HttpClient leased) {
            this.leased = leased;
        }

        /** @return the shared client; valid until this lease is closed */
        public HttpClient client() {
            return leased;
        }

        /**
         * Sends a request whose whole exchange (connecting, headers and body) must end within a deadline. At the
         * deadline the exchange itself is cancelled, so its connection is let go (the JDK's own request timeout
         * stops counting once the headers are in, and a stalled body would hold it forever).
         *
         * @param request the request
         * @param handler reads the body, e.g. a {@link BoundedBodyHandler}
         * @param deadline the total deadline
         * @param <T> the body type
         * @return the response; fails with a {@link TimeoutException} at the deadline, and with a
         *     {@link CancellationException} when this lease is (or gets) closed first; cancelling it abandons the
         *     exchange
         */
        public <T> CompletableFuture<HttpResponse<T>> send(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                Duration deadline) {
            if (closed) {
                return CompletableFuture.failedFuture(new CancellationException("the lease is closed"));
            }
            CompletableFuture<HttpResponse<T>> sent = leased.sendAsync(request, handler);
            inFlight.add(sent);
            // The deadline runs on a copy, so that expiring it can cancel the exchange itself.
            CompletableFuture<HttpResponse<T>> bounded = sent.copy().orTimeout(deadline.toMillis(),
                    TimeUnit.MILLISECONDS);
            bounded.whenComplete((response, failure) -> {
                inFlight.remove(sent);
                if (failure != null) {
                    sent.cancel(true);
                }
            });
            if (closed) {
                // Closed while this call was being sent: close() may have missed it.
                sent.cancel(true);
            }
            return bounded;
        }

        @Override
        public void close() {
            synchronized (SharedHttpClient.this) {
                if (closed) {
                    return;
                }
                closed = true;
                release();
            }
            for (CompletableFuture<?> call : inFlight) {
                call.cancel(true);
            }
        }
    }
}
