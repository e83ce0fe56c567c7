/**
 * The {@code comfyui_api} backend type: a ComfyUI someone else runs, reached by its address, watched by a
 * periodic health probe.
 */
package dev.switchboard.plugins.comfyui.byaddress;
