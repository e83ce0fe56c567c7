package dev.switchboard.distribution.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.distribution.ShippedDistribution;
import dev.switchboard.server.accounts.AccountsFile;
import dev.switchboard.server.accounts.AccountsFileCodec;
import dev.switchboard.server.accounts.AccountsPersistence;
import dev.switchboard.server.accounts.AccountsState;
import dev.switchboard.server.accounts.PasswordHasher;
import dev.switchboard.server.accounts.UserAccount;
import dev.switchboard.server.store.StoreFormatException;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The users file under SIGKILL, with the writer that ships: a process on the distribution's {@code lib/} saving
 * {@code users.json} version after version is killed at random moments, and {@code bin/switchboard user
 * set-password} is killed at random moments of its run. After every kill the file must be one complete version,
 * the last acknowledged or the one in flight, read by the strict codec, owner-only, with readable backups and no
 * problem on the next load (which removes the killed save's temporary file). {@code
 * -Dswitchboard.durability.seed=S} replays a run's random choices.
 */
final class UsersFileCrashIT {
    private static final int SIGKILL_EXIT_CODE = 128 + 9;
    private static final Duration START = Duration.ofSeconds(60);
    private static final int SAVER_TRIALS = 10;
    private static final int MAX_SAVER_KILL_DELAY_MILLIS = 250;
    private static final int CLI_TRIALS = 6;
    private static final PasswordHasher HASHER = new PasswordHasher();
    private final AccountsFileCodec codec = new AccountsFileCodec();

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aKilledSaveLeavesTheAcknowledgedOrTheInFlightVersionWhole() throws Exception {
        long seed = Long.getLong("switchboard.durability.seed", new Random().nextLong());
        System.out.printf("UsersFileCrashIT: seed %d (replay with -Dswitchboard.durability.seed=%d)%n", seed, seed);
        Random random = new Random(seed);
        Path data = Files.createDirectories(temp.resolve("data"));
        long before = 0;
        for (int trial = 1; trial <= SAVER_TRIALS; trial++) {
            SwitchboardProcess saver = startSaver(data);
            try {
                // Wait for a first acknowledged save, so the kill falls among saves and not in the JVM's start.
                await().atMost(START).until(() -> lastSaved(saver).isPresent() || !saver.process().isAlive());
                Thread.sleep(random.nextInt(MAX_SAVER_KILL_DELAY_MILLIS + 1));
                saver.kill();
                assertThat(saver.awaitExit(START)).as("%s", saver.output()).isEqualTo(SIGKILL_EXIT_CODE);
            } finally {
                saver.close();
            }
            long acknowledged = lastSaved(saver).orElseThrow(() -> new AssertionError("no save: " + saver.output()));
            assertThat(acknowledged).as("trial %d saved after version %d", trial, before).isGreaterThan(before);
            long onDisk = UsersFileSaver.version(readWhole(data, "trial " + trial + " (seed " + seed + ")"));
            assertThat(onDisk).as("trial %d (seed %d): the acknowledged version %d or the one in flight", trial,
                    seed, acknowledged).isBetween(acknowledged, acknowledged + 1);
            before = onDisk;
        }
        System.out.printf("UsersFileCrashIT: %d saver kills, %d versions saved%n", SAVER_TRIALS, before);

        // The CLI: each run sets a new password, killed at a random moment between 0.4 and 1.1 times the length of
        // a whole run (measured first, as the machine's load sets it), so kills fall before, in and after its save.
        String current = "the-first-password";
        long runStart = System.nanoTime();
        try (SwitchboardProcess first = startSetPassword(data, current)) {
            assertThat(first.awaitExit(START)).as("%s", first.output()).isZero();
        }
        int runMillis = (int) Duration.ofNanos(System.nanoTime() - runStart).toMillis();
        int finished = 0;
        int killed = 0;
        for (int trial = 1; trial <= CLI_TRIALS; trial++) {
            String next = "password-of-trial-" + trial + "-" + random.nextInt(1_000_000);
            SwitchboardProcess cli = startSetPassword(data, next);
            try {
                Thread.sleep(runMillis * 2 / 5 + random.nextInt(runMillis * 7 / 10 + 1));
                cli.kill();
                int exit = cli.awaitExit(START);
                if (exit == 0) {
                    finished++;
                } else {
                    assertThat(exit).as("%s", cli.output()).isEqualTo(SIGKILL_EXIT_CODE);
                    killed++;
                }
                AccountsState state = readWhole(data, "CLI trial " + trial + " (seed " + seed + ")");
                UserAccount user0 = state.users().get(0);
                boolean isNew = HASHER.matches(next, user0.passwordHash());
                if (exit == 0) {
                    assertThat(isNew).as("a finished set-password is on disk").isTrue();
                } else if (!isNew) {
                    assertThat(HASHER.matches(current, user0.passwordHash()))
                            .as("CLI trial %d (seed %d): the old password or the new one", trial, seed).isTrue();
                }
                current = isNew ? next : current;
            } finally {
                cli.close();
            }
        }
        System.out.printf("UsersFileCrashIT: a set-password run takes %d ms; %d runs killed, %d finished first%n",
                runMillis, killed, finished);
        assertThat(killed).as("runs the kill cut off").isGreaterThan(0);

        AccountsPersistence.Loaded last = new AccountsFile(data).load();
        assertThat(last.problem()).isEmpty();
        assertThat(HASHER.matches(current, last.state().users().get(0).passwordHash())).isTrue();
        assertThat(tempFiles(data)).as("temporary files after a load").isZero();
    }

    private SwitchboardProcess startSaver(Path data) throws Exception {
        Path classes = Path.of(UsersFileSaver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String classPath = ShippedDistribution.home().resolve("lib") + "/*" + File.pathSeparator + classes;
        return SwitchboardProcess.start(temp, List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-cp", classPath,
                UsersFileSaver.class.getName(), data.toString()));
    }

    private static OptionalLong lastSaved(SwitchboardProcess saver) {
        List<String> lines = saver.output();
        for (int index = lines.size() - 1; index >= 0; index--) {
            if (lines.get(index).startsWith("saved ")) {
                return OptionalLong.of(Long.parseLong(lines.get(index).substring("saved ".length())));
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Reads the file and its backups strictly, checks their mode, and returns the file's state; fails when any is
     * not a whole version.
     */
    private AccountsState readWhole(Path data, String when) throws IOException {
        Path file = data.resolve("users.json");
        List<String> problems = new ArrayList<>();
        AccountsState state = null;
        for (int number = 0; number <= 5; number++) {
            Path each = number == 0 ? file : data.resolve("users.json." + number);
            if (!Files.exists(each)) {
                continue;
            }
            try {
                AccountsState read = codec.decode(Files.readAllBytes(each));
                state = number == 0 ? read : state;
            } catch (StoreFormatException e) {
                problems.add(each + " is not a whole version: " + e.getMessage());
            }
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(each));
            if (!mode.equals("rw-------")) {
                problems.add(each + " has mode " + mode);
            }
        }
        if (state == null) {
            problems.add(file + " is missing");
        }
        assertThat(problems).as(when).isEmpty();
        return state;
    }

    private SwitchboardProcess startSetPassword(Path data, String password) throws IOException {
        SwitchboardProcess cli = ShippedDistribution.start(temp, List.of("user", "set-password", "user0",
                "--password-stdin", "--data-dir", data.toString()));
        try (OutputStream in = cli.process().getOutputStream()) {
            in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return cli;
    }

    private static long tempFiles(Path data) throws IOException {
        try (Stream<Path> entries = Files.list(data)) {
            return entries.filter(path -> path.getFileName().toString().contains(".tmp-")).count();
        }
    }
}
