package dev.switchboard.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The queue's two-level rotation (users, then each user's sessions), its bounds and its removals. */
final class JobQueueTest {
    private static final JobRequirements ANY = new JobRequirements(Map.of(), Set.of(), Set.of(), null, null);
    private final JobQueue queue = new JobQueue(100, 1000);
    private long ids;

    private List<Job> jobs(String user, String session, int count) throws QueueFullException {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(new Job(++ids, session, user, ANY, (claim, match) -> { }, (job, message) -> { }));
        }
        queue.addAll(session, jobs);
        return jobs;
    }

    /** Serves as the dispatcher does when every job can start: the first session of the first user. */
    private List<String> serveAll() {
        List<String> order = new ArrayList<>();
        while (queue.total() > 0) {
            String user = queue.users().get(0);
            String session = queue.sessions(user).get(0);
            order.add(session);
            queue.removeHead(session);
            queue.served(user, session);
        }
        return order;
    }

    @Test
    void usersTakeTurnsAndEachUsersSessionsTakeTurnsAmongThemselves() throws Exception {
        jobs("ann", "a1", 3);
        jobs("ann", "a2", 3);
        jobs("bob", "b1", 3);

        assertThat(serveAll()).containsExactly("a1", "b1", "a2", "b1", "a1", "b1", "a2", "a1", "a2");
    }

    @Test
    void aUserWithFiveSessionsGetsNoMoreThanAUserWithOne() throws Exception {
        for (int s = 0; s < 5; s++) {
            jobs("many", "m" + s, 4);
        }
        jobs("one", "o", 4);

        List<String> order = serveAll();
        // Eight turns: the two users alternate, the many-session user's turns going to its sessions in order.
        assertThat(order.subList(0, 8)).containsExactly("m0", "o", "m1", "o", "m2", "o", "m3", "o");
        assertThat(order.subList(8, order.size())).hasSize(16).allMatch(session -> session.startsWith("m"));
    }

    @Test
    void oneUsersSessionsAreServedRoundRobinAsBefore() throws Exception {
        jobs("local", "big", 5);
        jobs("local", "small", 2);

        assertThat(serveAll()).containsExactly("big", "small", "big", "small", "big", "big", "big");
    }

    @Test
    void aUserOrSessionThatComesBackJoinsAtTheBack() throws Exception {
        jobs("ann", "a1", 1);
        jobs("bob", "b1", 2);
        assertThat(queue.users()).containsExactly("ann", "bob");
        queue.removeHead("a1");
        queue.served("ann", "a1");
        assertThat(queue.users()).containsExactly("bob");
        jobs("ann", "a1", 1);
        assertThat(queue.users()).containsExactly("bob", "ann");
        assertThat(queue.sessions("ann")).containsExactly("a1");
        assertThat(queue.sessions("carl")).isEmpty();
    }

    @Test
    void aBoundThatWouldBePassedQueuesNothing() throws Exception {
        JobQueue small = new JobQueue(3, 5);
        List<Job> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(new Job(++ids, "s1", "ann", ANY, (claim, match) -> { }, (job, message) -> { }));
        }
        small.addAll("s1", three);
        assertThatThrownBy(() -> small.addAll("s1", List.of(new Job(++ids, "s1", "ann", ANY, (claim, match) -> { },
                (job, message) -> { })))).isInstanceOf(QueueFullException.class).hasMessageContaining("this session");
        List<Job> other = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            other.add(new Job(++ids, "s2", "bob", ANY, (claim, match) -> { }, (job, message) -> { }));
        }
        assertThatThrownBy(() -> small.addAll("s2", other)).isInstanceOf(QueueFullException.class)
                .hasMessageContaining("queue is full");
        assertThat(small.total()).isEqualTo(3);
        assertThat(small.queued("s2")).isZero();
        assertThat(small.users()).containsExactly("ann");
    }

    @Test
    void removalsKeepTheRotationAndCounts() throws Exception {
        List<Job> a1 = jobs("ann", "a1", 2);
        jobs("ann", "a2", 1);
        List<Job> b1 = jobs("bob", "b1", 2);

        assertThat(queue.remove(a1.get(0))).isTrue();
        assertThat(queue.remove(a1.get(0))).isFalse();
        assertThat(queue.head("a1")).isSameAs(a1.get(1));
        assertThat(queue.removeWhere(job -> job.userId().equals("bob"))).containsExactlyElementsOf(b1);
        assertThat(queue.users()).containsExactly("ann");
        assertThat(queue.heads()).hasSize(2);
        assertThat(queue.total()).isEqualTo(2);
        assertThat(queue.queued("a1")).isEqualTo(1);
        assertThat(queue.removeAll()).hasSize(2);
        assertThat(queue.total()).isZero();
        assertThat(queue.users()).isEmpty();
        assertThat(queue.head("a1")).isNull();
    }

    @Test
    void anEmptySubmissionLeavesNoTrace() throws Exception {
        queue.addAll("s1", List.of());
        assertThat(queue.users()).isEmpty();
        assertThat(queue.heads()).isEmpty();
    }
}
