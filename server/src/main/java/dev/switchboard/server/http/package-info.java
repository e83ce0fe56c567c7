/**
 * SwarmUI's {@code /API/<Route>} envelope over Undertow: routing, session and permission checks, parameter
 * binding with SwarmUI's conversion rules and messages, and the exact status codes and error bodies.
 */
package dev.switchboard.server.http;
