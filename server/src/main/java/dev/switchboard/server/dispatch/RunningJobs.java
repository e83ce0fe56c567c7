package dev.switchboard.server.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The jobs running now, counted per session and per user. Not thread-safe: the dispatcher guards it. */
final class RunningJobs {
    private final Set<Job> jobs = new HashSet<>();
    private final Map<String, Integer> bySession = new HashMap<>();
    private final Map<String, Integer> byUser = new HashMap<>();

    void add(Job job) {
        if (jobs.add(job)) {
            bySession.merge(job.sessionId(), 1, Integer::sum);
            byUser.merge(job.userId(), 1, Integer::sum);
        }
    }

    void remove(Job job) {
        if (jobs.remove(job)) {
            bySession.computeIfPresent(job.sessionId(), (session, count) -> count > 1 ? count - 1 : null);
            byUser.computeIfPresent(job.userId(), (user, count) -> count > 1 ? count - 1 : null);
        }
    }

    int ofSession(String session) {
        return bySession.getOrDefault(session, 0);
    }

    int ofUser(String user) {
        return byUser.getOrDefault(user, 0);
    }

    /** The running jobs {@code which} selects. */
    List<Job> where(Predicate<Job> which) {
        List<Job> selected = new ArrayList<>();
        for (Job job : jobs) {
            if (which.test(job)) {
                selected.add(job);
            }
        }
        return selected;
    }
}
