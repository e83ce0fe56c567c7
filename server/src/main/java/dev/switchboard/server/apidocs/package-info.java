/**
 * The route documentation, generated from the routes the server serves (each one's name, permission, transport and
 * {@link dev.switchboard.server.http.RouteDoc}): the OpenAPI 3.1 document served at {@code GET /openapi.json} and
 * the Markdown reference the build writes to {@code docs/api.md}.
 */
package dev.switchboard.server.apidocs;
