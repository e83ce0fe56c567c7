/**
 * Durable persistence of the real backends in {@code <data-dir>/backends.json}: strict parsing that keeps
 * unknown fields verbatim, crash-safe replacement with rotating backups, refusal to overwrite a file that
 * cannot be read, and the data directory's single-writer lock. {@link dev.switchboard.server.store.BackendStore}
 * is the entry point.
 */
package dev.switchboard.server.store;
