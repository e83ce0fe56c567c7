/**
 * The JSON forms of backend settings: a client's partial update (with SwarmUI's secret placeholder), the
 * stored form and the view clients see. Conversion follows SwarmUI's rules with every value checked first.
 */
package dev.switchboard.server.settings;
