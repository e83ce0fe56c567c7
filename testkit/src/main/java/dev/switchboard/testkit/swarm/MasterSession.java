package dev.switchboard.testkit.swarm;

import com.google.gson.JsonObject;

/**
 * One session a master holds on the remote (one per control, one per child), and the master's way of calling with
 * it: the session injected, and {@code invalid_session_id} answered by a new session, the owner's re-sync and the
 * same call again, without limit on a real master (here at most {@link MasterSimulator#mostRenewals()} times in a
 * row, then a {@link MasterRejection}).
 */
final class MasterSession {
    private final MasterSimulator master;
    private final Runnable resyncAfterRenewal;
    private String id;

    MasterSession(MasterSimulator master, Runnable resyncAfterRenewal) {
        this.master = master;
        this.resyncAfterRenewal = resyncAfterRenewal;
        this.id = master.newSession();
    }

    String id() {
        return id;
    }

    /** Calls {@code /API/<route>}; an answer with {@code invalid_session_id} renews and repeats. */
    JsonObject call(String route, JsonObject params) {
        for (int renewals = 0; ; renewals++) {
            JsonObject body = params.deepCopy();
            body.addProperty("session_id", id);
            JsonObject answer = MasterJson.object(route, master.post("/API/" + route, body));
            if (!MasterJson.invalidSession(answer)) {
                return answer;
            }
            renew(route, renewals);
        }
    }

    /** After {@code invalid_session_id}: a new session and the owner's re-sync, as a master does. */
    void renew(String route, int renewalsSoFar) {
        if (renewalsSoFar >= master.mostRenewals()) {
            throw new MasterRejection(route + ": the remote answers invalid_session_id even to a fresh session; a"
                    + " master would get new sessions for ever");
        }
        id = master.newSession();
        resyncAfterRenewal.run();
    }
}
