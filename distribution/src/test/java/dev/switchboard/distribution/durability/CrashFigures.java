package dev.switchboard.distribution.durability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The figures a crash run reports: what was checked, what was lost, and how long recovery took. */
final class CrashFigures {
    private final long startedNanos = System.nanoTime();
    private final List<Long> recoveryMillis = new ArrayList<>();
    private int trials;
    private int trialsWithChangesInFlight;
    private long entriesChecked;
    private long inFlightApplied;
    private long inFlightAbsent;
    private long tempFilesLeftByKills;
    private long losses;
    private long unreadableFiles;

    void trial(CrashReconciliation.Outcome outcome, Duration recovery, long tempFilesLeft) {
        trials++;
        if (outcome.inFlightApplied() + outcome.inFlightAbsent() > 0) {
            trialsWithChangesInFlight++;
        }
        entriesChecked += outcome.entriesChecked();
        inFlightApplied += outcome.inFlightApplied();
        inFlightAbsent += outcome.inFlightAbsent();
        losses += outcome.problems().size();
        tempFilesLeftByKills += tempFilesLeft;
        recoveryMillis.add(recovery.toMillis());
    }

    /** Trials whose kill cut off at least one change: the ones that test "complete or absent". */
    int trialsWithChangesInFlight() {
        return trialsWithChangesInFlight;
    }

    void unreadableFile() {
        unreadableFiles++;
    }

    String describe(long acknowledged, long seed) {
        List<Long> sorted = new ArrayList<>(recoveryMillis);
        Collections.sort(sorted);
        long median = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
        long slowest = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1);
        return String.format("CrashDurabilityIT figures (seed %d): %d trials (SIGKILL each) in %d s; "
                        + "%d acknowledged changes checked; %d stored entries compared; "
                        + "%d changes in flight at a kill, in %d trials (%d found complete, %d found absent, "
                        + "0 allowed half-applied); %d losses; %d unreadable files; "
                        + "%d temp files left by kills (removed at restart); "
                        + "recovery kill -> ready line: median %d ms, slowest %d ms",
                seed, trials, Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds(), acknowledged,
                entriesChecked, inFlightApplied + inFlightAbsent, trialsWithChangesInFlight, inFlightApplied,
                inFlightAbsent, losses, unreadableFiles, tempFilesLeftByKills, median, slowest);
    }
}
