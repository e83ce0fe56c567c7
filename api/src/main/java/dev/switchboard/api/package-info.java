/**
 * The contract between Switchboard and backend-type plugins.
 *
 * <p>A plugin contributes one or more {@link dev.switchboard.api.BackendType} extensions. The host creates
 * a {@link dev.switchboard.api.Backend} per configured backend and initialisation attempt, handing it a
 * {@link dev.switchboard.api.BackendContext} through which it reports status and what it advertises.
 * Nothing in this package depends on the server's internals; plugins compile against this module with
 * {@code provided} scope and must not bundle it.
 *
 * @since 1.0
 */
package dev.switchboard.api;
