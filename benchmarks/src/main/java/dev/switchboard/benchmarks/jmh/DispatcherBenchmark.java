package dev.switchboard.benchmarks.jmh;

import dev.switchboard.api.generation.ModelType;
import dev.switchboard.server.dispatch.DispatchOptions;
import dev.switchboard.server.dispatch.Dispatcher;
import dev.switchboard.server.dispatch.Job;
import dev.switchboard.server.dispatch.JobListener;
import dev.switchboard.server.dispatch.JobObserver;
import dev.switchboard.server.dispatch.JobRequirements;
import dev.switchboard.server.dispatch.JobWork;
import dev.switchboard.server.dispatch.QueueFullException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dispatcher at scale: a real {@link Dispatcher} over a real backend manager with {@code backends} running
 * {@link BenchGeneratorType} backends (one slot each, all listing the same model), fed 100,000 zero-time jobs
 * from 10 sessions at once (10,000 each, the per-session bound); one invocation lasts until every job ended. The
 * job's work returns at once without calling the generator, so what is measured is choosing a backend, claiming
 * and giving back its slot, and the job's hand-off to a job thread. Reported as time per job; jobs per second
 * is its inverse, and {@link DispatchScale} prints each backend count against 10 backends of the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Xss512k"})
public class DispatcherBenchmark {
    static final int SESSIONS = 10;
    static final int JOBS = 100_000;

    @Param({"10", "100", "1000", "10000"})
    int backends;

    private BenchRegistry registry;
    private Dispatcher dispatcher;
    private List<List<Job>> bySession;
    private CountDownLatch ended;
    private final AtomicInteger failed = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() {
        registry = new BenchRegistry(backends, new BenchGeneratorType());
        dispatcher = new Dispatcher(registry.service().registry(), DispatchOptions.defaults(), JobObserver.NONE);
    }

    @Setup(Level.Invocation)
    public void makeJobs() {
        ended = new CountDownLatch(JOBS);
        CountDownLatch latch = ended;
        JobListener listener = (job, message) -> {
            if (job.state().ended()) {
                if (message != null) {
                    failed.incrementAndGet();
                }
                latch.countDown();
            }
        };
        bySession = jobs(listener, (claim, match) -> { });
    }

    /**
     * 100,000 jobs for the benchmark model, 10,000 per session, sharing one requirements object as a request's
     * jobs do.
     */
    static List<List<Job>> jobs(JobListener listener, JobWork work) {
        JobRequirements requirements = new JobRequirements(Map.of(ModelType.STABLE_DIFFUSION,
                List.of("bench/model")), Set.of(), Set.of(), null, null);
        List<List<Job>> bySession = new ArrayList<>();
        long id = 0;
        for (int s = 0; s < SESSIONS; s++) {
            String session = "session-" + s;
            List<Job> jobs = new ArrayList<>(JOBS / SESSIONS);
            for (int i = 0; i < JOBS / SESSIONS; i++) {
                // A work of its own per job, holding the job and its index, as the generation service's do.
                int index = i;
                Job[] self = new Job[1];
                self[0] = new Job(++id, session, "local", requirements, (claim, match) -> {
                    if (self[0].id() >= 0 && index >= 0) {
                        work.run(claim, match);
                    }
                }, listener);
                jobs.add(self[0]);
            }
            bySession.add(jobs);
        }
        return bySession;
    }

    @Benchmark
    @OperationsPerInvocation(JOBS)
    public void dispatch100kJobsFrom10Sessions() throws QueueFullException, InterruptedException {
        for (List<Job> jobs : bySession) {
            dispatcher.submit(jobs.get(0).sessionId(), jobs);
        }
        if (!ended.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException(ended.getCount() + " jobs did not end");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dispatcher.close();
        registry.close();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " jobs failed");
        }
    }
}
