/**
 * Accounts: users, roles, API keys and logins; who a caller is and which permissions of the
 * {@link dev.switchboard.server.sessions.Permission} catalog they hold. The users file is kept by the store's
 * durable writer.
 */
package dev.switchboard.server.accounts;
