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
 *
 * <p>The calls in flight to one address (scheme, host and port) are bounded, across all leases: a call sent while
 * its address has that many waits, first in first out, until one of them ends. The JDK opens a connection
 * whenever no idle one to the address is free, so without the bound ten thousand {@code comfyui_api} backends
 * probing four engines held some 9,100 sockets and 190,000 exchanges in flight; with it, an address has at most
 * the bound's worth of connections (besides WebSockets), so backends cost open files in proportion to the engines
 * they reach. A waiting call holds no thread and no exchange of the JDK; its deadline counts from
 * {@link Lease#send}, waiting included, and a call that ends while it waits (deadline, cancelled, lease closed)
 * is never sent. WebSockets opened through {@link Lease#client()} are not counted.
 */
public final class SharedHttpClient {
    private static final int CALLBACK_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final long IDLE_SECONDS = 5;
    /**
     * The calls in flight per address unless told otherwise. ComfyUI's aiohttp serves one engine per address, and
     * a backend has a few calls at once (a probe, a prompt, an interrupt, its images), so 16 never holds up a
     * backend that has its engine to itself and leaves room for several sharing one, while ten thousand backends
     * of one engine still open no more than 16 connections to it.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_ADDRESS = 16;

    private final Duration connectTimeout;
    private final String threadPrefix;
    private final AddressGates<GatedExchange<?>> gates;

    // Guarded by this.
    private HttpClient client;
    private ExecutorService callbacks;
    private int leases;

    /**
     * Creates the holder, with at most {@value #DEFAULT_MAX_IN_FLIGHT_PER_ADDRESS} calls in flight per address;
     * nothing is started until the first lease.
     *
     * @param connectTimeout how long opening a connection may take, for every client of this holder
     * @param threadPrefix the start of the callback threads' names, e.g. {@code comfyui-http}
     */
    public SharedHttpClient(Duration connectTimeout, String threadPrefix) {
        this(connectTimeout, threadPrefix, DEFAULT_MAX_IN_FLIGHT_PER_ADDRESS);
    }

    /**
     * Creates the holder; nothing is started until the first lease.
     *
     * @param connectTimeout how long opening a connection may take, for every client of this holder
     * @param threadPrefix the start of the callback threads' names, e.g. {@code comfyui-http}
     * @param maxInFlightPerAddress how many calls sent through {@link Lease#send} may be in flight to one address
     *     at once, over all leases; more wait their turn
     * @throws IllegalArgumentException when {@code maxInFlightPerAddress} is less than 1
     */
    public SharedHttpClient(Duration connectTimeout, String threadPrefix, int maxInFlightPerAddress) {
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.threadPrefix = requireNonNull(threadPrefix, "threadPrefix is null");
        this.gates = new AddressGates<>(maxInFlightPerAddress);
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

    /** @return how many addresses have calls in flight or waiting (an address with neither is forgotten) */
    int addressesInUse() {
        return gates.addresses();
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
        private final Set<GatedExchange<?>> calls = ConcurrentHashMap.newKeySet();
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
         * Sends a request whose whole exchange (waiting for a slot of its address, connecting, headers and body)
         * must end within a deadline. At the deadline the exchange itself is cancelled, so its connection is let
         * go (the JDK's own request timeout stops counting once the headers are in, and a stalled body would hold
         * it forever). It is sent at once while its address has fewer calls in flight than the bound, else when
         * its turn comes; a call that ends before then is never sent.
         *
         * @param request the request
         * @param handler reads the body, e.g. a {@link BoundedBodyHandler}; the call holds its address's slot until
         *     the response is complete, which for a handler that reads the whole body (as this one does) is once
         *     the body is in
         * @param deadline the total deadline, from now
         * @param <T> the body type
         * @return the response; fails with a {@link TimeoutException} at the deadline, and with a
         *     {@link CancellationException} when this lease is (or gets) closed first; cancelling it abandons the
         *     exchange, or the wait for it
         */
        public <T> CompletableFuture<HttpResponse<T>> send(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                Duration deadline) {
            if (closed) {
                return CompletableFuture.failedFuture(new CancellationException("the lease is closed"));
            }
            GatedExchange<T> call = new GatedExchange<>(gates, leased, request, handler);
            CompletableFuture<HttpResponse<T>> result = call.result();
            calls.add(call);
            result.whenComplete((response, failure) -> {
                calls.remove(call);
                if (failure != null) {
                    call.abandon();
                }
            });
            result.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
            call.submit();
            if (closed) {
                // Closed while this call was being sent: close() may have missed it.
                call.abort();
            }
            return result;
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
            for (GatedExchange<?> call : calls) {
                call.abort();
            }
        }
    }
}
