package dev.switchboard.server.backends;

/**
 * An entry of the backends file that could not be loaded (its type's plugin is missing or failed, or its
 * stored settings are invalid). It is kept in the file unchanged and reported, not listed as a backend.
 */
public record UnloadedBackend(int id, String typeId, String title, String reason) {
}
