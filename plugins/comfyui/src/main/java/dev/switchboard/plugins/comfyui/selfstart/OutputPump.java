package dev.switchboard.plugins.comfyui.selfstart;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Drains one output stream of a launched process on its own daemon thread, line by line, so the process
 * never blocks on a full pipe. Each line goes to the backend's output log and the recent lines, and lines
 * that say the port is taken are noticed. The thread ends when the stream closes, i.e. when the process and
 * every descendant that inherited the pipe are gone.
 */
final class OutputPump {
    private final Thread thread;
    private volatile boolean sawAddressInUse;

    OutputPump(String threadName, InputStream stream, Consumer<String> sink, RecentLines recent) {
        requireNonNull(stream, "stream is null");
        requireNonNull(sink, "sink is null");
        requireNonNull(recent, "recent is null");
        this.thread = new Thread(() -> drain(stream, sink, recent), threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** @return whether a line said the address is already in use (aiohttp/asyncio or Python's socket error) */
    boolean sawAddressInUse() {
        return sawAddressInUse;
    }

    /**
     * Waits a little for the stream to be drained, so the last lines are known before they are reported.
     *
     * @param millis the longest wait
     */
    void awaitEnd(long millis) throws InterruptedException {
        thread.join(millis);
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    static boolean saysAddressInUse(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        return lower.contains("address already in use") || lower.contains("[errno 98]")
                || lower.contains("[errno 48]") || lower.contains("[winerror 10048]");
    }

    private void drain(InputStream stream, Consumer<String> sink, RecentLines recent) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (saysAddressInUse(line)) {
                    sawAddressInUse = true;
                }
                recent.add(line);
                sink.accept(line);
            }
        } catch (IOException | RuntimeException e) {
            // The stream was closed under us (process gone); nothing left to read.
        }
    }
}
