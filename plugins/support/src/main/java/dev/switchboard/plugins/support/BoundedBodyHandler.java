package dev.switchboard.plugins.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body into memory, but never more than a limit: a server that sends (or announces) more
 * makes the exchange fail with {@link BodyTooLargeException} instead of filling the heap.
 */
public final class BoundedBodyHandler implements HttpResponse.BodyHandler<byte[]> {
    private final long maxBytes;

    /**
     * Creates a handler.
     *
     * @param maxBytes the largest body accepted
     */
    public BoundedBodyHandler(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
        OptionalLong announced = info.headers().firstValueAsLong("Content-Length");
        return new Subscriber(announced.isPresent() && announced.getAsLong() > maxBytes);
    }

    /** Thrown (as the failure of the exchange) when a body exceeds the limit. */
    public static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(long maxBytes) {
            super("response body exceeds " + maxBytes + " bytes");
        }
    }

    private final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final boolean refuseAtOnce;
        private Flow.Subscription subscription;
        private long received;

        Subscriber(boolean refuseAtOnce) {
            this.refuseAtOnce = refuseAtOnce;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription newSubscription) {
            subscription = newSubscription;
            if (refuseAtOnce) {
                fail();
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                received += item.remaining();
                if (received > maxBytes) {
                    fail();
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(buffer.toByteArray());
        }

        private void fail() {
            subscription.cancel();
            body.completeExceptionally(new BodyTooLargeException(maxBytes));
        }
    }
}
