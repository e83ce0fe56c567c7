/**
 * Durable documents in the data directory: the real backends in {@code <data-dir>/backends.json}
 * ({@link dev.switchboard.server.store.BackendStore}, with strict parsing that keeps unknown fields verbatim and
 * group-committed changes), and any other document through a {@link dev.switchboard.server.store.FileCodec} and
 * {@link dev.switchboard.server.store.DurableDocument} (the users file): crash-safe replacement with rotating
 * backups, refusal to overwrite a file that cannot be read, and the data directory's single-writer lock. The store
 * knows nothing of what a document means beyond its codec.
 */
package dev.switchboard.server.store;
