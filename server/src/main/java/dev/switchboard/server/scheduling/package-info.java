/**
 * The scheduled work of backend instances: one host-owned pool ({@link
 * dev.switchboard.server.scheduling.SharedScheduler}) and the per-instance schedulers it hands to plugins, which
 * run each backend's tasks one at a time and keep a blocked or failing task of one backend from delaying another's.
 */
package dev.switchboard.server.scheduling;
