package dev.switchboard.plugins.comfyui.selfstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Tells whether the TCP listener on a port belongs to a given process tree, from Linux's {@code /proc}: the
 * listening sockets' inodes in {@code /proc/net/tcp} and {@code tcp6}, against the {@code socket:[inode]}
 * links in {@code /proc/<pid>/fd} of the process and its descendants. That way a foreign program answering
 * on the port can never pass for the ComfyUI Switchboard launched.
 */
final class ListenerOwnership {

    private static final String LISTEN = "0A";
    private final Path proc;

    ListenerOwnership(Path proc) {
        this.proc = proc;
    }

    /** @return the checker for this machine's {@code /proc} */
    static ListenerOwnership system() {
        return new ListenerOwnership(Path.of("/proc"));
    }

    /** @return whether the check can be made here (Linux with {@code /proc}) */
    boolean supported() {
        return Files.isReadable(proc.resolve("net/tcp"));
    }

    /**
     * Tells whether the process or one of its descendants holds the listening socket on the port.
     *
     * @param root the launched process
     * @param port the TCP port
     * @return true when owned; false when nobody or somebody else listens there
     */
    boolean ownedBy(ProcessHandle root, int port) {
        Set<String> listeners = listeningInodes(port);
        if (listeners.isEmpty()) {
            return false;
        }
        List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();
        for (ProcessHandle process : tree) {
            if (holdsAny(process.pid(), listeners)) {
                return true;
            }
        }
        return false;
    }

    private Set<String> listeningInodes(int port) {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("net/tcp", "net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(proc.resolve(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (fields.length < 10) {
                    continue;
                }
                String local = fields[1];
                if (local.endsWith(":" + hexPort) && fields[3].equals(LISTEN)) {
                    inodes.add(fields[9]);
                }
            }
        }
        return inodes;
    }

    private boolean holdsAny(long pid, Set<String> inodes) {
        try (Stream<Path> fds = Files.list(proc.resolve(Long.toString(pid)).resolve("fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.startsWith("socket:[")
                            && inodes.contains(target.substring(8, target.length() - 1));
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }
}
