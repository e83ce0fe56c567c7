/**
 * Remotes that misbehave at the socket level (never answer, or answer one byte at a time), for testing that
 * a backend's calls to its engine give up within their deadlines and never pile up.
 */
package dev.switchboard.testkit.remote;
