package dev.switchboard.server.http;

import dev.switchboard.benchmarks.jmh.BenchRegistry;
import dev.switchboard.server.routes.backends.BenchBackendRoutes;
import dev.switchboard.server.routes.sessions.BenchSessionRoutes;
import dev.switchboard.server.sessions.SessionService;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole API request minus the socket: the envelope parses the body, checks the session and runs the route,
 * then writes the JSON answer. {@code listBackends} builds the ListBackends view of 100 or 10,000 running
 * backends; {@code listBackendTypes} is the cheap session-checked route.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnvelopeBenchmark {
    @Param({"100", "10000"})
    int backends;

    private BenchRegistry registry;
    private ApiEnvelope envelope;
    private byte[] body;

    @Setup(Level.Trial)
    public void setUp() {
        registry = new BenchRegistry(backends);
        SessionService sessions = new SessionService();
        Set<ApiRoute> routes = new HashSet<>(BenchBackendRoutes.viewRoutes(registry.service().registry(), registry.types()));
        routes.add(BenchSessionRoutes.getNewSession(sessions, registry.service().registry()));
        envelope = new ApiEnvelope(routes, sessions);
        String session = sessions.create("local").id();
        body = ("{\"session_id\":\"" + session + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    public ApiResponse listBackends() {
        return envelope.process("listbackends", body, name -> null);
    }

    @Benchmark
    public ApiResponse listBackendTypes() {
        return envelope.process("listbackendtypes", body, name -> null);
    }
}
