package dev.switchboard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.secrets.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log outputs of {@code --log-format} and {@code --log-file}, each configured on a Logback context of its own
 * (never the test JVM's) and read back from the file they write: JSON lines parsed field by field, secrets redacted
 * from messages and stack traces in both formats, and the file rotated by size.
 */
final class LogSetupTest {
    private static final String SECRET = "Bearer hunter2-c4n4ry";

    @TempDir
    Path folder;

    private LoggerContext context;
    private AutoCloseable redaction;

    @BeforeEach
    void createContext() {
        context = new LoggerContext();
        // A context of its own needs what the global one gets from SLF4J's binding.
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        context.start();
        Redactor redactor = new Redactor();
        redactor.setSecrets(this, Set.of(SECRET));
        redaction = LogRedaction.install(context, redactor);
    }

    @AfterEach
    void stopContext() throws Exception {
        redaction.close();
        context.stop();
    }

    @Test
    void jsonLinesCarryTheFieldsAndNeverTheSecret() throws Exception {
        Path file = folder.resolve("logs/switchboard.log");
        LogSetup.apply(context, LogOutput.of(LogFormat.JSON, Optional.of(file)));

        context.getLogger("dev.switchboard.server.Example").info("Started with {}", SECRET);
        IllegalStateException failure = new IllegalStateException("the engine said " + SECRET,
                new IOException("refused token " + SECRET));
        context.getLogger("backend.comfyui_api.7").warn("Init failed for {}", SECRET, failure);
        context.getLogger("backend.swarmswarmbackend.-3").debug("below the root level: not written");

        List<JsonObject> events = jsonLines(file);
        assertThat(events).hasSize(2);
        JsonObject first = events.get(0);
        assertThat(first.keySet()).containsExactly("time", "level", "logger", "thread", "message");
        assertThat(OffsetDateTime.parse(first.get("time").getAsString()).getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(first.get("level").getAsString()).isEqualTo("INFO");
        assertThat(first.get("logger").getAsString()).isEqualTo("dev.switchboard.server.Example");
        assertThat(first.get("thread").getAsString()).isEqualTo(Thread.currentThread().getName());
        assertThat(first.get("message").getAsString()).isEqualTo("Started with " + Redactor.REDACTED);

        JsonObject second = events.get(1);
        assertThat(second.keySet()).containsExactly("time", "level", "logger", "thread", "backend_id", "message",
                "stack_trace");
        assertThat(second.get("level").getAsString()).isEqualTo("WARN");
        assertThat(second.get("backend_id").getAsInt()).isEqualTo(7);
        assertThat(second.get("message").getAsString()).isEqualTo("Init failed for " + Redactor.REDACTED);
        String stackTrace = second.get("stack_trace").getAsString();
        assertThat(stackTrace).startsWith("java.lang.IllegalStateException: the engine said " + Redactor.REDACTED)
                .contains("Caused by: java.io.IOException: refused token " + Redactor.REDACTED)
                .contains("at dev.switchboard.server.logging.LogSetupTest.jsonLinesCarryTheFieldsAndNeverTheSecret");
        assertThat(Files.readString(file)).doesNotContain("hunter2");
    }

    @Test
    void textLinesInAFileHaveTheDateAndNeverTheSecret() throws Exception {
        Path file = folder.resolve("switchboard.log");
        LogSetup.apply(context, LogOutput.of(LogFormat.TEXT, Optional.of(file)));

        context.getLogger("backend.comfyui_selfstart.2").error("Token {} refused", SECRET,
                new IOException("no: " + SECRET));

        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-Z].* ERROR \\[.+\\]"
                + " backend\\.comfyui_selfstart\\.2 - Token \\[redacted\\] refused");
        assertThat(lines.get(1)).isEqualTo("java.io.IOException: no: " + Redactor.REDACTED);
        assertThat(Files.readString(file)).doesNotContain("hunter2");
    }

    @Test
    void theFileIsRotatedBySizeKeepingTheGivenNumberOfOlderFiles() throws Exception {
        Path file = folder.resolve("rotating.log");
        long maxBytes = 2_000;
        LogSetup.apply(context, new LogOutput(LogFormat.TEXT, Optional.of(file), maxBytes, 2));
        Logger logger = context.getLogger("dev.switchboard.server.Rotation");
        String padding = "x".repeat(60);
        for (int i = 0; i < 300; i++) {
            logger.info("event {} {}", i, padding);
        }

        Path first = folder.resolve("rotating.log.1");
        Path second = folder.resolve("rotating.log.2");
        assertThat(folder.resolve("rotating.log.3")).doesNotExist();
        List<Integer> newest = eventNumbers(file);
        List<Integer> older = eventNumbers(first);
        List<Integer> oldest = eventNumbers(second);
        assertThat(newest).endsWith(299);
        // Consecutive events, each file continuing where the older one stopped.
        assertThat(older.get(older.size() - 1) + 1).isEqualTo(newest.get(0));
        assertThat(oldest.get(oldest.size() - 1) + 1).isEqualTo(older.get(0));
        long oneEvent = Files.readAllLines(file).get(0).length() + 1L;
        for (Path each : List.of(file, first, second)) {
            assertThat(Files.size(each)).as(each.toString()).isLessThanOrEqualTo(maxBytes + oneEvent);
        }
        assertThat(oldest.get(0)).as("the oldest events were dropped").isPositive();
    }

    @Test
    void aLogFileThatCannotBeWrittenIsRefusedWithItsReasonAndChangesNothing() throws Exception {
        Path notAFolder = Files.writeString(folder.resolve("plain-file"), "x");
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> before = appenders(root);

        assertThatThrownBy(() -> LogSetup.apply(context, LogOutput.of(LogFormat.JSON,
                Optional.of(notAFolder.resolve("switchboard.log")))))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("Cannot write the log file " + notAFolder.resolve("switchboard.log") + ": ");
        assertThat(appenders(root)).isEqualTo(before);
    }

    @Test
    void aPercentSignInTheFileNameIsRefusedAsLogbackWouldReadItAsAPattern() {
        assertThatThrownBy(() -> LogOutput.of(LogFormat.TEXT, Optional.of(folder.resolve("100%d.log"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain '%'");
    }

    @Test
    void theShippedConfigurationWritesTheSamePatternToStandardError() throws IOException {
        try (InputStream xml = LogSetup.class.getResourceAsStream("/logback.xml")) {
            assertThat(xml).isNotNull();
            assertThat(new String(xml.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("<pattern>" + LogEncoders.STDERR_PATTERN + "</pattern>");
        }
    }

    @Test
    void theDefaultOutputIsTextOnStandardErrorWithTenMebibytesTimesFive() {
        LogOutput output = LogOutput.of(LogFormat.TEXT, Optional.empty());
        assertThat(output.isDefault()).isTrue();
        assertThat(output.maxFileBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(output.keptFiles()).isEqualTo(5);
        assertThat(LogOutput.of(LogFormat.JSON, Optional.empty()).isDefault()).isFalse();
        assertThat(LogOutput.of(LogFormat.TEXT, Optional.of(Path.of("x.log"))).isDefault()).isFalse();
    }

    private static List<JsonObject> jsonLines(Path file) throws IOException {
        List<JsonObject> events = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            events.add(JsonParser.parseString(line).getAsJsonObject());
        }
        return events;
    }

    private static List<Integer> eventNumbers(Path file) throws IOException {
        Pattern event = Pattern.compile(" - event (\\d+) x+$");
        List<Integer> numbers = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            Matcher matcher = event.matcher(line);
            assertThat(matcher.find()).as(line).isTrue();
            numbers.add(Integer.parseInt(matcher.group(1)));
        }
        for (int i = 1; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).isEqualTo(numbers.get(i - 1) + 1);
        }
        return numbers;
    }

    private static List<Appender<ILoggingEvent>> appenders(Logger logger) {
        List<Appender<ILoggingEvent>> result = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
            result.add(it.next());
        }
        return result;
    }
}
