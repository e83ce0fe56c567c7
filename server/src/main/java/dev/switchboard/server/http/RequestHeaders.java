package dev.switchboard.server.http;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request's headers as the envelope and routes read them: the first value of a header, its name matched
 * ignoring case. The server reads Undertow's header map on demand through this, so a request whose route
 * never asks for a header copies none.
 */
@FunctionalInterface
interface RequestHeaders {

    /**
     * @param name a header name, any case
     * @return the header's first value, or null when the request has no such header
     */
    String first(String name);

    /** @return the client's address (no port), e.g. {@code 127.0.0.1}; empty when unknown */
    default String address() {
        return "";
    }

    /** @return these headers with the client's address */
    default RequestHeaders from(InetSocketAddress peer) {
        RequestHeaders headers = this;
        String address = ExchangeCredentials.address(peer);
        return new RequestHeaders() {
            @Override
            public String first(String name) {
                return headers.first(name);
            }

            @Override
            public String address() {
                return address;
            }
        };
    }

    /**
     * @param headers one value per name; where names differ only in case, the first in iteration order wins
     * @return headers backed by a copy of the map
     */
    static RequestHeaders copyOf(Map<String, String> headers) {
        Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach(copy::putIfAbsent);
        return copy::get;
    }
}
