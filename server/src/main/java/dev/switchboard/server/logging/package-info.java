/**
 * Logback converters that route every log line through the running servers' redactors.
 */
package dev.switchboard.server.logging;
