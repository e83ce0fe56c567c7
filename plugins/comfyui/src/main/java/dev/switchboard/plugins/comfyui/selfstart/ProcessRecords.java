package dev.switchboard.plugins.comfyui.selfstart;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Keeps {@code process.json} in the backend's work directory in step with the ComfyUI it launched, so that
 * after a crash of the server the next start can stop a ComfyUI left running, and only one that is provably
 * ours (see {@link ProcessRecord}). A file that cannot be written or deleted is logged, never fatal.
 */
final class ProcessRecords {
    private final BackendContext context;
    private final ProcessTreeStopper stopper;

    ProcessRecords(BackendContext context, ProcessTreeStopper stopper) {
        this.context = requireNonNull(context, "context is null");
        this.stopper = requireNonNull(stopper, "stopper is null");
    }

    /** Stops the recorded ComfyUI if it is still alive and provably the one recorded; then forgets it. */
    void reapLeftover() {
        Path directory = context.workDirectory();
        ProcessRecord.read(directory).flatMap(ProcessRecord::findLive).ifPresent(process -> {
            context.appendOutput("[switchboard] stopping ComfyUI left running by an earlier server run (pid "
                    + process.pid() + ").");
            stopper.stop(process);
        });
        try {
            ProcessRecord.delete(directory);
        } catch (IOException e) {
            context.logger().warn("Could not delete {}", directory.resolve(ProcessRecord.FILE_NAME), e);
        }
    }

    /**
     * Records the process once it shows the launched arguments: right after the start, the OS may still show
     * the JDK's spawn helper. It may show them first as a wrapper's (a pyenv shim, a start script that execs
     * Python), which is fine: the record holds the arguments, which every such step passes on at the end of its
     * own, not the command line, which changes with each {@code exec} (see {@link ProcessRecord}).
     *
     * @return whether a record was written
     */
    boolean recordOnceExecuted(LaunchedComfyUi launched) {
        Optional<ProcessRecord> entry = ProcessRecord.of(launched.process().toHandle(), arguments(launched));
        entry.ifPresent(this::write);
        return entry.isPresent();
    }

    /** Records the process as the OS shows it now. */
    void record(LaunchedComfyUi launched) {
        ProcessRecord.of(launched.process().toHandle(), arguments(launched)).ifPresent(this::write);
    }

    /**
     * Forgets a stopped process: deletes the record if it is that process's.
     *
     * @param pid the stopped process's id
     */
    void forget(long pid) {
        try {
            if (ProcessRecord.read(context.workDirectory()).filter(entry -> entry.pid() == pid).isPresent()) {
                ProcessRecord.delete(context.workDirectory());
            }
        } catch (IOException | RuntimeException e) {
            context.logger().warn("Could not clear the process record", e);
        }
    }

    private static List<String> arguments(LaunchedComfyUi launched) {
        return launched.command().subList(1, launched.command().size());
    }

    private void write(ProcessRecord entry) {
        try {
            entry.write(context.workDirectory());
        } catch (IOException e) {
            context.logger().warn("Could not record ComfyUI's pid in {}", context.workDirectory(), e);
        }
    }
}
