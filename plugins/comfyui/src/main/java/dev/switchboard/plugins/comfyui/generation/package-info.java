/**
 * Generation on ComfyUI, one implementation for both backend types
 * ({@link dev.switchboard.plugins.comfyui.generation.ComfyUiGenerator}): the standard text-to-image graph of
 * generation.md 3.1-3.2 or a raw workflow, posted to {@code /prompt} with the id of a WebSocket opened for the job;
 * progress, previews and {@code SwarmSaveImageWS} images from that socket; saved images from {@code /history} and
 * {@code /view}; ComfyUI's validation and execution errors as messages users read; cancellation by queue delete,
 * interrupt (only of our own running prompt) and history delete. Every wait has a deadline.
 */
package dev.switchboard.plugins.comfyui.generation;
