/**
 * SwarmUI's {@code /API/<Route>} envelope over Undertow: routing, session and permission checks, parameter
 * binding with SwarmUI's conversion rules and messages, and the exact status codes and error bodies. The listener
 * itself ({@code HttpEndpoint}) is bound before the rest of the server starts; it serves the open paths (the health
 * probes), the access checks, the guarded paths ({@code /metrics}) and tells a {@code RequestObserver} about every
 * answer, labelled by registered route names and fixed words only. Routes describe themselves ({@code RouteDoc},
 * {@code ApiParam}) for the generated API docs.
 */
package dev.switchboard.server.http;
