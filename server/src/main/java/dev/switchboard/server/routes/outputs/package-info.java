/**
 * ListOutputs: a page of the user's saved images (the {@code View/} files), newest first, with the parameters
 * embedded in each, for the page's gallery.
 */
package dev.switchboard.server.routes.outputs;
