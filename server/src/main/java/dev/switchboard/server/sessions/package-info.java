/**
 * API sessions: creation, lookup, expiry. Who the caller is and what they may do.
 */
package dev.switchboard.server.sessions;
