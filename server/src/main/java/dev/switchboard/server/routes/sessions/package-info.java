/**
 * GetNewSession: sessions as SwarmUI's clients and remote masters expect them.
 */
package dev.switchboard.server.routes.sessions;
