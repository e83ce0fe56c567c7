package dev.switchboard.server.dispatch;

import dev.switchboard.server.backends.BackendClaim;

/** What the dispatcher decided for a session's first job: start it on a claimed backend, fail it, or let it wait. */
record Decision(BackendClaim claim, BackendMatch match, String failure) {
    static final Decision WAIT = new Decision(null, null, null);

    static Decision start(BackendClaim claim, BackendMatch match) {
        return new Decision(claim, match, null);
    }

    static Decision fail(String message) {
        return new Decision(null, null, message);
    }

    boolean waits() {
        return claim == null && failure == null;
    }
}
