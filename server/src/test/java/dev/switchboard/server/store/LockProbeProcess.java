package dev.switchboard.server.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Run as a separate JVM by {@link BackendStoreLockTest}. With {@code hold <dir>} it opens a store, prints
 * {@code PROBE locked}, and keeps the store open until its standard input closes. With {@code try <dir>} it
 * tries to open a store once and prints {@code PROBE opened} or {@code PROBE refused <message>}.
 */
final class LockProbeProcess {
    static final String MARKER = "PROBE ";

    private LockProbeProcess() {
    }

    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args[1]);
        BackendStore store;
        try {
            store = BackendStore.open(directory);
        } catch (DataDirectoryLockedException e) {
            System.out.println(MARKER + "refused " + e.getMessage());
            return;
        } catch (StoreException e) {
            System.out.println(MARKER + "failed " + e.getMessage());
            return;
        }
        try {
            if (args[0].equals("hold")) {
                System.out.println(MARKER + "locked");
                System.out.flush();
                while (System.in.read() != -1) {
                    // Wait for the parent to close our input.
                }
            } else {
                System.out.println(MARKER + "opened");
            }
        } finally {
            store.close();
        }
    }
}
