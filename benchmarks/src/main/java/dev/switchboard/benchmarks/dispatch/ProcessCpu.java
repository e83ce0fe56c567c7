package dev.switchboard.benchmarks.dispatch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by this JVM and, when its pid is known, by the Switchboard process (user plus system time
 * from {@code /proc/<pid>/stat}, in clock ticks of 10 ms), so a run can say what each process spent per job.
 */
final class ProcessCpu {
    /** Linux's USER_HZ, the unit of {@code /proc/<pid>/stat}'s times, on every common architecture. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final long switchboardPid;

    /** @param switchboardPid the Switchboard process, or 0 when unknown */
    ProcessCpu(long switchboardPid) {
        this.switchboardPid = switchboardPid;
    }

    /** @return this JVM's CPU time in nanoseconds */
    static long ownNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** @return Switchboard's CPU time in nanoseconds, or -1 when its pid is unknown or unreadable */
    long switchboardNanos() {
        if (switchboardPid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + switchboardPid + "/stat"));
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
