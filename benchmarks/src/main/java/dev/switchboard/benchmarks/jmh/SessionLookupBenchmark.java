package dev.switchboard.benchmarks.jmh;

import dev.switchboard.server.sessions.Session;
import dev.switchboard.server.sessions.SessionService;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/** Session lookup (every API request does one) with the store full: 10,000 sessions, four threads at once. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(4)
public class SessionLookupBenchmark {
    private SessionService sessions;
    private String[] ids;

    @Setup
    public void setUp() {
        sessions = new SessionService();
        ids = new String[SessionService.DEFAULT_CAPACITY];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = sessions.create("local").id();
        }
    }

    @Benchmark
    public Optional<Session> find() {
        return sessions.find(ids[ThreadLocalRandom.current().nextInt(ids.length)]);
    }

    @Benchmark
    public Session create() {
        return sessions.create("local");
    }
}
