package dev.switchboard.server.dispatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The waiting jobs: one first-in-first-out line per session, served round robin (a session just served goes to
 * the back of the rotation), so one client's thousand jobs never starve another's one. Bounded per session and in
 * total; adding is all or nothing. Not thread-safe: the dispatcher guards it.
 */
final class JobQueue {
    private final int maxPerSession;
    private final int maxTotal;
    /** Key order is the rotation: the first session is served first. */
    private final LinkedHashMap<String, ArrayDeque<Job>> bySession = new LinkedHashMap<>();
    private int total;

    JobQueue(int maxPerSession, int maxTotal) {
        this.maxPerSession = maxPerSession;
        this.maxTotal = maxTotal;
    }

    /** Queues every job (all of one session) or none. */
    void addAll(String session, List<Job> jobs) throws QueueFullException {
        int waiting = queued(session);
        if (waiting + jobs.size() > maxPerSession) {
            throw new QueueFullException("Too many generations are waiting for this session (" + waiting
                    + " waiting, " + jobs.size() + " more asked, at most " + maxPerSession + "). Nothing was queued.");
        }
        if (total + jobs.size() > maxTotal) {
            throw new QueueFullException("The server's queue is full (" + total + " generations waiting, at most "
                    + maxTotal + "). Nothing was queued; try again later.");
        }
        bySession.computeIfAbsent(session, key -> new ArrayDeque<>()).addAll(jobs);
        total += jobs.size();
    }

    /** The sessions with waiting jobs, in the order to serve them. */
    List<String> rotation() {
        return new ArrayList<>(bySession.keySet());
    }

    Job head(String session) {
        ArrayDeque<Job> line = bySession.get(session);
        return line == null ? null : line.peekFirst();
    }

    /** Takes the session's first job off the queue. */
    void removeHead(String session) {
        ArrayDeque<Job> line = bySession.get(session);
        line.removeFirst();
        total--;
        if (line.isEmpty()) {
            bySession.remove(session);
        }
    }

    /** Sends a session that was just served to the back of the rotation. */
    void served(String session) {
        ArrayDeque<Job> line = bySession.remove(session);
        if (line != null) {
            bySession.put(session, line);
        }
    }

    /** Takes one waiting job off the queue. @return whether it was waiting */
    boolean remove(Job job) {
        ArrayDeque<Job> line = bySession.get(job.sessionId());
        if (line == null || !line.remove(job)) {
            return false;
        }
        total--;
        if (line.isEmpty()) {
            bySession.remove(job.sessionId());
        }
        return true;
    }

    /** Takes every waiting job {@code which} selects off the queue. */
    List<Job> removeWhere(Predicate<Job> which) {
        List<Job> removed = new ArrayList<>();
        Iterator<Map.Entry<String, ArrayDeque<Job>>> sessions = bySession.entrySet().iterator();
        while (sessions.hasNext()) {
            ArrayDeque<Job> line = sessions.next().getValue();
            Iterator<Job> jobs = line.iterator();
            while (jobs.hasNext()) {
                Job job = jobs.next();
                if (which.test(job)) {
                    jobs.remove();
                    removed.add(job);
                }
            }
            if (line.isEmpty()) {
                sessions.remove();
            }
        }
        total -= removed.size();
        return removed;
    }

    /** Takes every waiting job off the queue. */
    List<Job> removeAll() {
        List<Job> all = new ArrayList<>();
        for (Map.Entry<String, ArrayDeque<Job>> entry : bySession.entrySet()) {
            all.addAll(entry.getValue());
        }
        bySession.clear();
        total = 0;
        return all;
    }

    int queued(String session) {
        ArrayDeque<Job> line = bySession.get(session);
        return line == null ? 0 : line.size();
    }

    int total() {
        return total;
    }
}
