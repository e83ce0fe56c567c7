package dev.switchboard.server.http;

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
