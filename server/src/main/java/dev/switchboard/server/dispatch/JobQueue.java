package dev.switchboard.server.dispatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The waiting jobs: one first-in-first-out line per session, grouped by the session's user, served round robin on
 * two levels: users take turns (a user just served goes to the back), and within a user the user's sessions take
 * turns. So a user with five sessions gets no more than a user with one, one client's thousand jobs never starve
 * another's one, and one user's sessions are still fair among themselves. Bounded per session and in total;
 * adding is all or nothing. Not thread-safe: the dispatcher guards it.
 */
final class JobQueue {
    private final int maxPerSession;
    private final int maxTotal;
    /** Key order is the users' rotation; each value's key order is that user's sessions' rotation. */
    private final LinkedHashMap<String, LinkedHashMap<String, ArrayDeque<Job>>> byUser = new LinkedHashMap<>();
    /** Each waiting session's user (the user of its first queued job; a session belongs to one user). */
    private final Map<String, String> userOf = new HashMap<>();
    private int total;

    JobQueue(int maxPerSession, int maxTotal) {
        this.maxPerSession = maxPerSession;
        this.maxTotal = maxTotal;
    }

    /** Queues every job (all of one session, so of one user) or none. */
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
        if (jobs.isEmpty()) {
            return;
        }
        String user = userOf.computeIfAbsent(session, key -> jobs.get(0).userId());
        byUser.computeIfAbsent(user, key -> new LinkedHashMap<>())
                .computeIfAbsent(session, key -> new ArrayDeque<>()).addAll(jobs);
        total += jobs.size();
    }

    /** The users with waiting jobs, in the order to serve them. */
    List<String> users() {
        return new ArrayList<>(byUser.keySet());
    }

    /** The user's sessions with waiting jobs, in the order to serve them; empty when the user has none. */
    List<String> sessions(String user) {
        Map<String, ArrayDeque<Job>> sessions = byUser.get(user);
        return sessions == null ? List.of() : new ArrayList<>(sessions.keySet());
    }

    /** Every session's first job, for deadlines. */
    List<Job> heads() {
        List<Job> heads = new ArrayList<>();
        for (Map<String, ArrayDeque<Job>> sessions : byUser.values()) {
            for (ArrayDeque<Job> line : sessions.values()) {
                heads.add(line.peekFirst());
            }
        }
        return heads;
    }

    Job head(String session) {
        ArrayDeque<Job> line = line(session);
        return line == null ? null : line.peekFirst();
    }

    /** Takes the session's first job off the queue. */
    void removeHead(String session) {
        line(session).removeFirst();
        total--;
        dropIfEmpty(session);
    }

    /**
     * Sends a user who was just served to the back of the users' rotation, and the session served to the back of
     * the user's own, each if it still waits (a session whose last job was served has left the queue).
     */
    void served(String user, String session) {
        LinkedHashMap<String, ArrayDeque<Job>> sessions = byUser.remove(user);
        if (sessions == null) {
            return;
        }
        ArrayDeque<Job> line = sessions.remove(session);
        if (line != null) {
            sessions.put(session, line);
        }
        byUser.put(user, sessions);
    }

    /** Takes one waiting job off the queue. @return whether it was waiting */
    boolean remove(Job job) {
        ArrayDeque<Job> line = line(job.sessionId());
        if (line == null || !line.remove(job)) {
            return false;
        }
        total--;
        dropIfEmpty(job.sessionId());
        return true;
    }

    /** Takes every waiting job {@code which} selects off the queue. */
    List<Job> removeWhere(Predicate<Job> which) {
        List<Job> removed = new ArrayList<>();
        for (String session : new ArrayList<>(userOf.keySet())) {
            Iterator<Job> jobs = line(session).iterator();
            while (jobs.hasNext()) {
                Job job = jobs.next();
                if (which.test(job)) {
                    jobs.remove();
                    removed.add(job);
                }
            }
            dropIfEmpty(session);
        }
        total -= removed.size();
        return removed;
    }

    /** Takes every waiting job off the queue. */
    List<Job> removeAll() {
        List<Job> all = new ArrayList<>();
        for (Map<String, ArrayDeque<Job>> sessions : byUser.values()) {
            sessions.values().forEach(all::addAll);
        }
        byUser.clear();
        userOf.clear();
        total = 0;
        return all;
    }

    int queued(String session) {
        ArrayDeque<Job> line = line(session);
        return line == null ? 0 : line.size();
    }

    int total() {
        return total;
    }

    private ArrayDeque<Job> line(String session) {
        String user = userOf.get(session);
        return user == null ? null : byUser.get(user).get(session);
    }

    /** Drops a session without jobs, and its user when that was the user's last. */
    private void dropIfEmpty(String session) {
        String user = userOf.get(session);
        Map<String, ArrayDeque<Job>> sessions = byUser.get(user);
        if (!sessions.get(session).isEmpty()) {
            return;
        }
        sessions.remove(session);
        userOf.remove(session);
        if (sessions.isEmpty()) {
            byUser.remove(user);
        }
    }
}
