package dev.switchboard.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final MovingClock clock = new MovingClock();
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void fiveFailuresForOneNameBlockItFromEveryAddressUntilTheWindowPasses() {
        for (int i = 0; i < LoginThrottle.PER_USER; i++) {
            assertThat(throttle.allows("alice", "10.0.0." + i)).isTrue();
            throttle.failed("alice", "10.0.0." + i);
        }
        assertThat(throttle.allows("alice", "10.0.0.99")).isFalse();
        assertThat(throttle.allows("bob", "10.0.0.99")).isTrue();

        clock.advance(LoginThrottle.WINDOW.minusSeconds(1));
        assertThat(throttle.allows("alice", "10.0.0.99")).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(throttle.allows("alice", "10.0.0.99")).isTrue();
    }

    @Test
    void oneAddressTryingManyNamesIsBlocked() {
        for (int i = 0; i < LoginThrottle.PER_ADDRESS; i++) {
            assertThat(throttle.allows("user" + i, "192.0.2.1")).isTrue();
            throttle.failed("user" + i, "192.0.2.1");
        }
        assertThat(throttle.allows("someone-new", "192.0.2.1")).isFalse();
        assertThat(throttle.allows("someone-new", "192.0.2.2")).isTrue();
    }

    @Test
    void aSuccessClearsTheNamesFailures() {
        for (int i = 0; i < LoginThrottle.PER_USER - 1; i++) {
            throttle.failed("alice", "10.0.0.1");
        }
        throttle.succeeded("alice");
        for (int i = 0; i < LoginThrottle.PER_USER - 1; i++) {
            throttle.failed("alice", "10.0.0.2");
        }
        assertThat(throttle.allows("alice", "10.0.0.3")).isTrue();
    }

    @Test
    void aFloodOfNamesKeepsAtMostTheBound() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED + 500; i++) {
            throttle.failed("name" + i, "198.51.100.1");
        }
        // The oldest names were dropped; the newest are still counted.
        assertThat(throttle.allows("name" + (LoginThrottle.MAX_TRACKED + 499), "203.0.113.9")).isTrue();
        assertThat(throttle.allows("x", "198.51.100.1")).isFalse();
    }

    static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-12-06T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
