/**
 * Swarm servers on both sides of a {@code swarmswarmbackend}, for tests over real sockets: stand-ins of remotes an
 * OLD ({@link dev.switchboard.testkit.swarm.OldSwarmStandIn}) and a current
 * ({@link dev.switchboard.testkit.swarm.SwarmRemoteStandIn}, WebSocket generations included) SwarmUI would be,
 * and a simulated SwarmUI master ({@link dev.switchboard.testkit.swarm.MasterSimulator}) that calls a remote as a
 * master does and rejects what a master would.
 */
package dev.switchboard.testkit.swarm;
