/**
 * The guide's worked example: {@code example_echo}, a backend type that talks to nothing, draws PNGs, and shows every part
 * of the plugin contract in a few lines.
 */
package dev.switchboard.examples.echo;
