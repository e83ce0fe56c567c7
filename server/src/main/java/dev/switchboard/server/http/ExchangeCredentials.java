package dev.switchboard.server.http;

import dev.switchboard.server.sessions.Credentials;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;

/** The credentials and client address of an Undertow request, for the paths that ask who calls. */
public final class ExchangeCredentials {

    private ExchangeCredentials() {
    }

    /** @return the request's API key, login cookie and client address */
    public static Credentials of(HttpServerExchange exchange) {
        return Credentials.of(exchange.getRequestHeaders()::getFirst, address(exchange.getSourceAddress()));
    }

    /** @return a peer's address without its port, e.g. {@code 127.0.0.1}; empty when unknown */
    static String address(InetSocketAddress peer) {
        return peer == null || peer.getAddress() == null ? "" : peer.getAddress().getHostAddress();
    }
}
