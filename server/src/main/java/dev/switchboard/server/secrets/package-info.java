/**
 * Secret values of backend settings and the redactor that keeps them out of status messages, API answers,
 * engine output and log lines, whatever an engine sends back.
 */
package dev.switchboard.server.secrets;
