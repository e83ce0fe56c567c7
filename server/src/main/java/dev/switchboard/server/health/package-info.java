/**
 * The health probes: {@code GET /healthz} (the process answers) and {@code GET /readyz} (store loaded and readable,
 * plugins loaded, the API served), answered from a few volatile flags on the I/O thread, outside the access checks
 * (probes seldom can send headers, and the answers reveal only these states).
 */
package dev.switchboard.server.health;
