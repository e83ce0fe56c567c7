/**
 * The BackendAPI routes (ListBackendTypes, ListBackends, AddNewBackend, EditBackend, DeleteBackend,
 * ToggleBackend, RestartBackends, FreeBackendMemory) and GetBackendLogs: they translate between SwarmUI's JSON
 * and the backends package, and render backend views in SwarmUI's key order.
 */
package dev.switchboard.server.routes.backends;
