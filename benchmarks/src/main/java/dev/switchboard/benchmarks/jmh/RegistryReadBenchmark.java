package dev.switchboard.benchmarks.jmh;

import dev.switchboard.server.backends.BackendClaim;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.BackendSnapshot;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * Registry reads under concurrent mutation: three threads list every backend while one thread claims and
 * releases random backends (what generation dispatch does), which changes their usage and last-used time.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RegistryReadBenchmark {
    @Param({"100", "10000"})
    int backends;

    private BenchRegistry registry;

    @Setup
    public void setUp() {
        registry = new BenchRegistry(backends);
    }

    @TearDown
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    @Group("readWhileClaiming")
    @GroupThreads(3)
    public List<BackendSnapshot> list() {
        return registry.service().registry().list(true);
    }

    @Benchmark
    @Group("readWhileClaiming")
    @GroupThreads(1)
    public int claimAndRelease() throws BackendOperationException {
        try (BackendClaim claim = registry.service().registry().claim(ThreadLocalRandom.current().nextInt(backends))) {
            return claim.backendId();
        }
    }
}
