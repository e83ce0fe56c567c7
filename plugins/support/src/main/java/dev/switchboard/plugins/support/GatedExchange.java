package dev.switchboard.plugins.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One call of a {@link SharedHttpClient.Lease}: it takes a slot of its address ({@link AddressGates}), is sent
 * when it has one, and gives the slot back when its exchange ends, however it ends. While it waits it is only this
 * object in its address's line: no thread and no exchange of the JDK client. Its {@link #result()} ends it: once
 * that is done (answered, failed, timed out or cancelled), a waiting call is never sent and a sent one is
 * cancelled, which ends its exchange and so gives the slot back.
 *
 * @param <T> the body type
 */
final class GatedExchange<T> implements AddressGates.Waiter {
    private static final int WAITING = 0;
    private static final int SENT = 1;
    private static final int ABANDONED = 2;

    private final AddressGates<GatedExchange<?>> gates;
    private final HttpClient client;
    private final HttpRequest request;
    private final HttpResponse.BodyHandler<T> handler;
    private final String address;
    private final CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private volatile CompletableFuture<HttpResponse<T>> exchange;

    GatedExchange(AddressGates<GatedExchange<?>> gates, HttpClient client, HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        this.gates = gates;
        this.client = client;
        this.request = request;
        this.handler = handler;
        this.address = addressOf(request.uri());
    }

    /**
     * The address whose slots a request takes: scheme, host and port, as the JDK client keeps its connections.
     *
     * @param uri the request's URI
     * @return e.g. {@code http://gpu1:8188}
     */
    static String addressOf(URI uri) {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** @return the call's outcome; completing it (e.g. cancelling it, or a deadline) ends the call */
    CompletableFuture<HttpResponse<T>> result() {
        return result;
    }

    /** Sends the call now if its address has a free slot, else lets it wait in line. */
    void submit() {
        if (gates.enter(address, this)) {
            sendInTurn(this);
        }
    }

    /** Ends the call as cancelled, for its lease being closed. */
    void abort() {
        // Wrapped as the JDK client's future was when the lease cancelled it, so callers see the same failure.
        result.completeExceptionally(new CompletionException(new CancellationException("the lease is closed")));
    }

    /** Lets the call go once its result is done: out of the line if it waits, its exchange cancelled if sent. */
    void abandon() {
        if (state.compareAndSet(WAITING, ABANDONED)) {
            gates.leave(address, this);
            return;
        }
        CompletableFuture<HttpResponse<T>> sent = exchange;
        if (sent != null) {
            sent.cancel(true);
        }
        // Still null: send() has the slot but has not published the exchange; it checks the result after that.
    }

    @Override
    public boolean claim() {
        return state.compareAndSet(WAITING, SENT);
    }

    /**
     * Sends a call that holds a slot, then the calls the slot passes to whenever one ends before its sending is
     * done (a loop, not a recursion, however long the line).
     */
    private static void sendInTurn(GatedExchange<?> first) {
        GatedExchange<?> next = first;
        while (next != null) {
            next = next.send();
        }
    }

    /** @return the call to send next when this one's slot was already given back to it, else null */
    private GatedExchange<?> send() {
        if (result.isDone()) {
            // Ended while it waited for the slot: never sent.
            return gates.release(address);
        }
        CompletableFuture<HttpResponse<T>> sent;
        try {
            sent = client.sendAsync(request, handler);
        } catch (RuntimeException | Error e) {
            // E.g. the client's executor was shut down with the last lease. The slot must be given back whatever
            // was thrown, or the address would stay short of it for good.
            result.completeExceptionally(e);
            return gates.release(address);
        }
        exchange = sent;
        // Whichever of the callback and this thread comes second gives the slot back: the callback runs right here
        // when the exchange has already ended, and releasing from it would recurse through the whole line.
        AtomicBoolean registering = new AtomicBoolean(true);
        sent.whenComplete((response, failure) -> {
            relay(response, failure);
            if (!registering.compareAndSet(true, false)) {
                sendInTurn(gates.release(address));
            }
        });
        if (result.isDone()) {
            // Ended while being sent: abandon() may have run before the exchange was published.
            sent.cancel(true);
        }
        return registering.compareAndSet(true, false) ? null : gates.release(address);
    }

    private void relay(HttpResponse<T> response, Throwable failure) {
        if (failure == null) {
            result.complete(response);
        } else {
            // As CompletableFuture.copy() relays a failure, so get() and join() report it as before the gate.
            result.completeExceptionally(failure instanceof CompletionException ? failure
                    : new CompletionException(failure));
        }
    }
}
