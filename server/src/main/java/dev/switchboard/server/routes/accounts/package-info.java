/**
 * The account routes: SwarmUI's {@code Login}, {@code Logout}, {@code ChangePassword}, {@code GetMyUserData} and
 * {@code Admin*} user and role routes with their parameters and error ids, Switchboard's own API-key routes
 * ({@code CreateAPIKey}, {@code ListAPIKeys}, {@code RevokeAPIKey}) and {@code GetAuditLog}. JSON in and out over
 * the {@code Accounts} service and the audit log; every rule lives in those.
 */
package dev.switchboard.server.routes.accounts;
