/**
 * Checks of a built plugin artifact (zip or jar) for the packaging mistakes that make the host ignore or refuse
 * a plugin: a missing extension index, bundled host classes, an invalid descriptor.
 */
package dev.switchboard.testkit.artifacts;
