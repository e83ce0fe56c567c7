package dev.switchboard.server.backends;

/**
 * Outcome of a free-memory request.
 *
 * @param anyTargeted whether any running backend matched
 * @param freed how many of them reported that they freed memory
 */
public record FreeMemoryResult(boolean anyTargeted, int freed) {
}
