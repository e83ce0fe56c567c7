package dev.switchboard.server.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log file: lines, owner-only mode, newest first across rotated files, torn lines skipped. */
final class AuditLogTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path data;

    @Test
    void writesOneJsonLinePerEntryReadableByItsOwnerOnly() throws Exception {
        AuditLog log = new AuditLog(data, Clock.fixed(NOW, ZoneOffset.UTC));

        log.record("EditBackend", "alice", "10.0.0.7", "3", "ok");
        log.record("Login", "", "10.0.0.8", "bob", "Login failed: wrong name or password.");

        Path file = data.resolve("audit.log");
        assertThat(Files.readAllLines(file, UTF_8)).containsExactly(
                "{\"time\":\"2026-03-01T10:00:00Z\",\"user\":\"alice\",\"address\":\"10.0.0.7\",\"route\":"
                        + "\"EditBackend\",\"target\":\"3\",\"outcome\":\"ok\"}",
                "{\"time\":\"2026-03-01T10:00:00Z\",\"user\":\"\",\"address\":\"10.0.0.8\",\"route\":\"Login\","
                        + "\"target\":\"bob\",\"outcome\":\"Login failed: wrong name or password.\"}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(log.newest(10)).containsExactly(
                new AuditEntry(NOW, "", "10.0.0.8", "Login", "bob", "Login failed: wrong name or password."),
                new AuditEntry(NOW, "alice", "10.0.0.7", "EditBackend", "3", "ok"));
        assertThat(log.newest(1)).extracting(AuditEntry::route).containsExactly("Login");
    }

    @Test
    void rotatesBySizeKeepingTwoOlderFilesAndReadsNewestFirstAcrossThem() throws Exception {
        Path file = data.resolve("audit.log");
        AuditLog log = new AuditLog(file, 300, 2, Clock.fixed(NOW, ZoneOffset.UTC));

        for (int i = 0; i < 20; i++) {
            log.record("DeleteBackend", "alice", "10.0.0.7", Integer.toString(i), "ok");
        }

        assertThat(Files.exists(data.resolve("audit.log.1"))).isTrue();
        assertThat(Files.exists(data.resolve("audit.log.2"))).isTrue();
        assertThat(Files.exists(data.resolve("audit.log.3"))).isFalse();
        for (String name : List.of("audit.log", "audit.log.1", "audit.log.2")) {
            assertThat(Files.size(data.resolve(name))).as(name).isLessThanOrEqualTo(300);
        }
        List<String> targets = log.newest(100).stream().map(AuditEntry::target).toList();
        assertThat(targets).isNotEmpty().startsWith("19", "18").doesNotContain("0");
        for (int i = 1; i < targets.size(); i++) {
            assertThat(Integer.parseInt(targets.get(i))).isEqualTo(Integer.parseInt(targets.get(i - 1)) - 1);
        }
    }

    @Test
    void aTornLineIsSkipped() throws Exception {
        AuditLog log = new AuditLog(data, Clock.fixed(NOW, ZoneOffset.UTC));
        log.record("ToggleBackend", "alice", "", "1", "ok");
        Files.writeString(data.resolve("audit.log"), "{\"time\":\"2026-03-01T1", UTF_8, StandardOpenOption.APPEND);

        assertThat(log.newest(10)).extracting(AuditEntry::route).containsExactly("ToggleBackend");
    }

    @Test
    void noFileYetHasNoEntries() throws Exception {
        assertThat(new AuditLog(data, Clock.systemUTC()).newest(5)).isEmpty();
    }
}
