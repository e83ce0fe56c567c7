package dev.switchboard.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;

/**
 * SwarmUI's WebSocket form of the API ({@code /API/<Name>WS}, backend-api-semantics.md 1.9): accepts the upgrade,
 * reads exactly one text message (the request, at most {@value #MAX_REQUEST_BYTES} bytes, within a minute) and
 * hands it with the upgrade's headers to {@link ApiEnvelope#processWebSocket} on a worker thread.
 */
final class WebSocketApiHandler implements HttpHandler {
    /** Init images and raw workflows arrive in the request: SwarmUI allows 200 MiB. */
    static final long MAX_REQUEST_BYTES = 200L * 1024 * 1024;
    private static final long FIRST_MESSAGE_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketApiHandler.class);

    private final HttpHandler handshake;

    WebSocketApiHandler(ApiEnvelope envelope) {
        this.handshake = new WebSocketProtocolHandshakeHandler(new Conversation(envelope));
    }

    /** Whether a request asks to become a WebSocket. */
    static boolean isUpgrade(HttpServerExchange exchange) {
        String upgrade = exchange.getRequestHeaders().getFirst("Upgrade");
        return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        handshake.handleRequest(exchange);
    }

    private static final class Conversation implements WebSocketConnectionCallback {
        private final ApiEnvelope envelope;

        Conversation(ApiEnvelope envelope) {
            this.envelope = envelope;
        }

        @Override
        public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
            String path = exchange.getRequestURI();
            int query = path.indexOf('?');
            String routeKey = ApiEnvelope.lowerCaseAscii(
                    (query < 0 ? path : path.substring(0, query)).substring(ApiRequestHandler.API_PATH_PREFIX.length()));
            RequestHeaders headers = ((RequestHeaders) exchange::getRequestHeader).from(channel.getSourceAddress());
            UndertowApiSocket socket = new UndertowApiSocket(channel);
            Executor worker = channel.getWorker();
            XnioExecutor.Key timeout = channel.getIoThread().executeAfter(() -> {
                LOG.debug("No request on a WebSocket to /API/{} within {} s; closing", routeKey, FIRST_MESSAGE_SECONDS);
                socket.close();
            }, FIRST_MESSAGE_SECONDS, TimeUnit.SECONDS);
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                private boolean received;

                @Override
                protected long getMaxTextBufferSize() {
                    return MAX_REQUEST_BYTES;
                }

                @Override
                protected void onFullTextMessage(WebSocketChannel ignored, BufferedTextMessage message) {
                    if (received) {
                        // One request per socket: later messages (pings in text, a second request) are ignored.
                        return;
                    }
                    received = true;
                    timeout.remove();
                    byte[] body = message.getData().getBytes(StandardCharsets.UTF_8);
                    worker.execute(() -> envelope.processWebSocket(routeKey, body, headers, socket));
                }
            });
            channel.resumeReceives();
        }
    }
}
