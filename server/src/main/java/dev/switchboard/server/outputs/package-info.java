/**
 * The outputs of generation, under {@code <data-dir>/outputs/<user>/}:
 * {@link dev.switchboard.server.outputs.OutputStore} names and writes each image atomically with SwarmUI's default
 * path format and its parameters embedded (a PNG text chunk, or a {@code .swarm.json} side file),
 * {@link dev.switchboard.server.outputs.ViewHandler} serves them at {@code GET /View/<user>/<path>} (and the legacy
 * {@code /Output/<path>}) with SwarmUI's path hygiene and error bodies, and
 * {@link dev.switchboard.server.outputs.OutputGallery} lists a user's outputs, newest first, for the page. The
 * package knows nothing of dispatch, generation or routes: the host hands it bytes and a description.
 */
package dev.switchboard.server.outputs;
