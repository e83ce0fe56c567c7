/**
 * The backends: their records and the one state machine of each (BackendRecord), the registry of the set,
 * the operations the API offers (add, edit, delete, toggle, restart, free memory), the lifecycle that drives
 * inits, retries and stops, non-real children, loading at start-up, and the claim port a dispatcher uses. Speaks
 * typed values only; JSON stays in the routes and the settings package.
 */
package dev.switchboard.server.backends;
