/**
 * How a backend type declares its settings ({@link dev.switchboard.api.settings.SettingsSchema}) and how a
 * backend reads them ({@link dev.switchboard.api.settings.Settings}).
 *
 * @since 1.0
 */
package dev.switchboard.api.settings;
