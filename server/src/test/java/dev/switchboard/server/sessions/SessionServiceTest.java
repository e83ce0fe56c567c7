package dev.switchboard.server.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class SessionServiceTest {

    private static final Duration EXPIRY = Duration.ofDays(31);

    private final AtomicLong nanos = new AtomicLong(1_000);

    private SessionService service(int capacity) {
        return new SessionService(nanos::get, EXPIRY, capacity);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void idsAre40LowercaseHexCharactersAndNeverRepeat() {
        SessionService sessions = new SessionService();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String id = sessions.create("local").id();
            assertThat(id).matches("[0-9a-f]{40}");
            ids.add(id);
        }
        assertThat(ids).hasSize(500);
    }

    @Test
    void everyUserOfThisSingleUserServerHoldsEveryPermission() {
        SessionService sessions = new SessionService();

        Session local = sessions.create("local");
        Session other = sessions.create("alice");

        assertThat(local.userId()).isEqualTo("local");
        assertThat(local.permissions()).containsExactly("*");
        assertThat(other.userId()).isEqualTo("alice");
        assertThat(other.permissions()).containsExactly("*");
        assertThat(local.hasPermission(Permission.EDIT_BACKENDS)).isTrue();
    }

    @Test
    void sessionsCanBeLimitedToGivenPermissions() {
        Session session = new SessionService().create("viewer", List.of("view_backends_list"));

        assertThat(session.hasPermission(Permission.VIEW_BACKENDS_LIST)).isTrue();
        assertThat(session.hasPermission(Permission.EDIT_BACKENDS)).isFalse();
    }

    @Test
    void findsCreatedSessionsOnly() {
        SessionService sessions = new SessionService();
        Session session = sessions.create("local");

        assertThat(sessions.find(session.id())).contains(session);
        assertThat(sessions.find(session.id().toUpperCase())).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find("0".repeat(40))).isEmpty();
    }

    @Test
    void sessionsExpireAfter31DaysWithoutUse() {
        SessionService sessions = service(100);
        Session session = sessions.create("local");

        advance(EXPIRY);
        assertThat(sessions.find(session.id())).contains(session);

        advance(EXPIRY.plusNanos(1));
        assertThat(sessions.find(session.id())).isEmpty();
        // Once gone, it stays gone.
        assertThat(sessions.find(session.id())).isEmpty();
    }

    @Test
    void usingASessionKeepsItAlive() {
        SessionService sessions = service(100);
        Session session = sessions.create("local");

        for (int i = 0; i < 5; i++) {
            advance(Duration.ofDays(20));
            assertThat(sessions.find(session.id())).contains(session);
        }
    }

    @Test
    void expiredSessionsAreSweptWhenNewOnesAreCreated() {
        SessionService sessions = service(100);
        for (int i = 0; i < 10; i++) {
            sessions.create("local");
        }
        advance(EXPIRY.plusDays(1));

        Session fresh = sessions.create("local");

        assertThat(sessions.size()).isEqualTo(1);
        assertThat(sessions.find(fresh.id())).contains(fresh);
    }

    @Test
    void keepsAtMostTheCapacityDroppingTheLeastRecentlyUsed() {
        SessionService sessions = service(3);
        Session a = sessions.create("local");
        Session b = sessions.create("local");
        Session c = sessions.create("local");

        assertThat(sessions.find(a.id())).isPresent();
        Session d = sessions.create("local");

        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.find(b.id())).isEmpty();
        assertThat(sessions.find(a.id())).contains(a);
        assertThat(sessions.find(c.id())).contains(c);
        assertThat(sessions.find(d.id())).contains(d);
    }

    @Test
    void aClientLoopingOnNewSessionsCannotGrowTheTable() {
        SessionService sessions = service(50);

        for (int i = 0; i < 5_000; i++) {
            sessions.create("local");
        }

        assertThat(sessions.size()).isEqualTo(50);
    }

    @Test
    void aSessionInUseSurvivesAFloodOfNewSessions() {
        SessionService sessions = service(50);
        Session active = sessions.create("local");

        for (int i = 0; i < 5_000; i++) {
            sessions.create("local");
            assertThat(sessions.find(active.id())).contains(active);
        }

        assertThat(sessions.size()).isEqualTo(50);
    }

    @Test
    void lookupsDuringAFloodOfNewSessionsNeverSeeMoreThanTheCapacityAfterwards() throws Exception {
        SessionService sessions = service(100);
        List<Session> kept = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            kept.add(sessions.create("local"));
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        sessions.create("local");
                    }
                }));
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        sessions.find(kept.get(i % kept.size()).id());
                    }
                }));
            }
            for (Future<?> each : work) {
                each.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(sessions.size()).isEqualTo(100);
        Session fresh = sessions.create("local");
        assertThat(sessions.find(fresh.id())).contains(fresh);
    }
}
