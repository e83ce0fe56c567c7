/**
 * The connection to one running ComfyUI, shared by both backend types: HTTP with deadlines and operator-facing
 * failures ({@link dev.switchboard.plugins.comfyui.connection.ComfyUiClient}), ComfyUI's routes
 * ({@link dev.switchboard.plugins.comfyui.connection.ComfyUiConnection}), what {@code /object_info} lists and
 * the features it implies.
 */
package dev.switchboard.plugins.comfyui.connection;
