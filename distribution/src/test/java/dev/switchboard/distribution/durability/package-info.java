/**
 * Durability and concurrency evidence (users-and-reliability.md R1 and R11), run by {@code mvn verify}.
 *
 * <p>Both start the assembled distribution's {@code bin/switchboard} with its own plugins.
 *
 * <p>{@code CrashDurabilityIT} starts the real server, lets four client threads send random
 * Add/Edit/Toggle/Delete requests for their own backends, SIGKILLs the server 0-500 ms into the burst,
 * restarts it on the same data directory and compares {@code backends.json} (read with a strict parser of its
 * own) and {@code ListBackends} with a reference model of every acknowledged change; a change in flight at the
 * kill must be there completely or not at all. The restart of one trial is the start of the next. It prints
 * its seed and, at the end, its figures (trials, changes checked, losses, slowest recovery). A soak run:
 *
 * <pre>
 * mvn -B -pl distribution -am verify -Dtest=none -Dit.test=CrashDurabilityIT -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Dswitchboard.durability.trials=5000 \
 *     -Djunit.jupiter.execution.timeout.mode=disabled -Dfailsafe.timeout=0
 * </pre>
 *
 * <p>{@code ConcurrentOperationsIT} runs seeded random sequences of every backend route from four threads on a
 * server (real sockets), with {@code comfyui_selfstart} backends launching the testkit's fake
 * ComfyUI, and checks API, file and model agreement, a 5 s limit per step, and at most one live process per
 * self-started backend ({@code -Dswitchboard.concurrency.tries}, {@code -Dswitchboard.concurrency.seed}).
 */
package dev.switchboard.distribution.durability;
