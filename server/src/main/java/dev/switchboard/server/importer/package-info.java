/**
 * Importing an existing SwarmUI installation's backends ({@code switchboard import-swarmui}): a reader of the
 * FDS text format SwarmUI keeps them in ({@code Data/Backends.fds}), the conversion of each entry to a stored
 * backend (settings typed by the installed plugin's schema, or kept verbatim when no plugin provides the type),
 * and the import itself, written through the {@link dev.switchboard.server.store.BackendStore} while no server
 * runs on the data directory.
 */
package dev.switchboard.server.importer;
