/**
 * A user's role limits as the generation side reads them: how many generations the user may run at once and
 * which models they may use ({@link dev.switchboard.server.limits.UserLimits}), with the pure model-list rule
 * ({@link dev.switchboard.server.limits.ModelRules}) and the rule for several roles
 * ({@link dev.switchboard.server.limits.RoleLimits}). It depends on nothing else of the server, so the dispatcher
 * enforces the limits without knowing accounts, and accounts build them without knowing the dispatcher.
 */
package dev.switchboard.server.limits;
