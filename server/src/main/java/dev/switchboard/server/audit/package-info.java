/**
 * The audit log: who changed which backend or account (and who logged in or out), when, from where, and how it
 * ended, one JSON line per entry in {@code <data>/audit.log}, readable by admins through {@code GetAuditLog}. It
 * records what the API envelope hands its {@code ApiAudit} port: route names, users, addresses and targets (ids and
 * names), never a password, key or setting value.
 */
package dev.switchboard.server.audit;
