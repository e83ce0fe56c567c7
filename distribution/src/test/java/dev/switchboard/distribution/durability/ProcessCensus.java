package dev.switchboard.distribution.durability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts, many times a second, the processes the server launched (its child processes) that carry a backend's
 * token ({@code --sb-token <token>} in their arguments, which the fake ComfyUI ignores), and records every
 * moment at which one token had more than one. Forks of a launched process (e.g. of a {@code python3} wrapper
 * script such as pyenv's, which may outlive a killed parent by a moment) are not launches; what is left of a
 * backend's processes after it is deleted or the server stopped is checked separately, over every process of
 * the machine ({@link #processesOf}), so one the server lost track of (re-parented to init) counts too.
 */
final class ProcessCensus implements AutoCloseable {
    static final String TOKEN_FLAG = "--sb-token";
    private static final long PERIOD_MILLIS = 20;

    private final ProcessHandle server;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Thread sampler;
    private volatile boolean closed;
    private volatile int samples;

    /** Starts counting the launches of {@code server}. */
    ProcessCensus(ProcessHandle server) {
        this.server = server;
        sampler = new Thread(this::sample, "process-census");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The live processes per token, right now, whoever their parent is (tokens are unique to a test run). */
    static Map<String, List<Long>> processesByToken() {
        Map<String, List<Long>> byToken = new HashMap<>();
        ProcessHandle.allProcesses().forEach(process -> token(process).ifPresent(token -> {
            boolean partOfALaunch = process.parent().flatMap(ProcessCensus::token).filter(token::equals).isPresent();
            if (!partOfALaunch) {
                byToken.computeIfAbsent(token, key -> new ArrayList<>()).add(process.pid());
            }
        }));
        return byToken;
    }

    /** The live processes carrying {@code token}, right now. */
    static List<Long> processesOf(String token) {
        return processesByToken().getOrDefault(token, List.of());
    }

    /** Every moment a token had several live processes, in words. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    int samples() {
        return samples;
    }

    @Override
    public void close() {
        closed = true;
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The live processes per token that the server launched itself, right now. */
    private Map<String, List<Long>> launchesByToken() {
        Map<String, List<Long>> byToken = new HashMap<>();
        server.children().forEach(process -> token(process).ifPresent(token ->
                byToken.computeIfAbsent(token, key -> new ArrayList<>()).add(process.pid())));
        return byToken;
    }

    private void sample() {
        while (!closed) {
            launchesByToken().forEach((token, pids) -> {
                if (pids.size() > 1) {
                    violations.add(pids.size() + " live processes for backend token " + token + ": " + describe(pids));
                }
            });
            samples++;
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static List<String> describe(List<Long> pids) {
        List<String> descriptions = new ArrayList<>();
        for (Long pid : pids) {
            descriptions.add(ProcessHandle.of(pid).map(process -> "pid " + pid + " (parent "
                    + process.parent().map(parent -> Long.toString(parent.pid())).orElse("?") + ", started "
                    + process.info().startInstant().map(Object::toString).orElse("?") + "): "
                    + process.info().commandLine().orElse("?")).orElse("pid " + pid + " (gone)"));
        }
        return descriptions;
    }

    private static Optional<String> token(ProcessHandle process) {
        if (!process.isAlive()) {
            return Optional.empty();
        }
        String[] arguments = process.info().arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < arguments.length; i++) {
            if (TOKEN_FLAG.equals(arguments[i])) {
                return Optional.of(arguments[i + 1]);
            }
        }
        return Optional.empty();
    }
}
