/**
 * ListPlugins: the loaded plugins, the refused ones with the reason and fix, and stored backends whose
 * type is unavailable.
 */
package dev.switchboard.server.routes.plugins;
