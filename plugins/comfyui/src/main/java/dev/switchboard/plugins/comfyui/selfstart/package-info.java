/**
 * The {@code comfyui_selfstart} backend type: a ComfyUI that Switchboard launches, supervises and stops itself,
 * with everything that takes: the command line and environment, ports and who listens on them, the output,
 * git updates before launch, stopping the whole process tree, and the record that lets a later server run stop
 * a ComfyUI left behind.
 */
package dev.switchboard.plugins.comfyui.selfstart;
