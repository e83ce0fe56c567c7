/**
 * The job queue between generation requests and backends: owns jobs and their states, chooses a backend and
 * takes one of its slots through {@link dev.switchboard.server.backends.BackendClaims} (the only way in; it never
 * touches a backend's record, a rule the build checks), serves users and their sessions fairly within each user's
 * bound on running jobs ({@link dev.switchboard.server.limits.UserLimits}), bounds the queue and enforces
 * deadlines and interrupts.
 */
package dev.switchboard.server.dispatch;
