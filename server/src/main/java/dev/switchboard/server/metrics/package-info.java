/**
 * The metrics: a Micrometer registry scraped in Prometheus' text format at {@code GET /metrics}, JVM and process
 * metrics from Micrometer's binders, and the server's own, fed through the small listener ports the owning
 * packages declare ({@code http.RequestObserver}, {@code store.StoreListener}, {@code backends.InitListener},
 * {@code dispatch.JobObserver}) or read from their snapshots (backends by type and status, plugins, the queue). No
 * other package sees a Micrometer type, and no label holds text a client chose.
 */
package dev.switchboard.server.metrics;
