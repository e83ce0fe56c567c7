package dev.switchboard.server.logging;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Points the root logger at the operator's choice of {@link LogOutput}: the shipped {@code logback.xml} (text on
 * standard error, the logger levels) stays in force, only the root logger's appender is replaced. The logger
 * levels and the redaction ({@link LogRedaction}) are untouched.
 */
public final class LogSetup {
    static final String APPENDER_NAME = "SWITCHBOARD";

    private LogSetup() {
    }

    /**
     * Makes {@code context}'s root logger write to {@code output} instead of its current appenders.
     *
     * @return the new appender, started
     * @throws IOException when the log file cannot be created or written; the message names it and the reason,
     *     and nothing was changed
     */
    public static OutputStreamAppender<ILoggingEvent> apply(LoggerContext context, LogOutput output) throws IOException {
        if (output.file().isPresent()) {
            checkWritable(output.file().get());
        }
        Encoder<ILoggingEvent> encoder = switch (output.format()) {
            case TEXT -> LogEncoders.text(context,
                    output.file().isPresent() ? LogEncoders.FILE_PATTERN : LogEncoders.STDERR_PATTERN);
            case JSON -> LogEncoders.json(context);
        };
        OutputStreamAppender<ILoggingEvent> appender = output.file().isPresent()
                ? rollingFile(context, output, encoder)
                : standardError(context, encoder);
        if (!appender.isStarted()) {
            throw new IOException("Could not start logging to " + output.file().map(Path::toString).orElse("stderr")
                    + " (Logback's status messages say why)");
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        return appender;
    }

    /**
     * Lowers Switchboard's and PF4J's loggers to warnings, for a command that prints its own report (loading the
     * plugins would otherwise fill it with lines about each one).
     */
    public static void warningsOnly(LoggerContext context) {
        for (String name : List.of("dev.switchboard", "backend", "org.pf4j")) {
            context.getLogger(name).setLevel(Level.WARN);
        }
    }

    private static OutputStreamAppender<ILoggingEvent> standardError(LoggerContext context,
                                                                    Encoder<ILoggingEvent> encoder) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER_NAME);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    /** {@code FILE}, renamed to {@code FILE.1} (and so on up to the kept count) when it reaches the size. */
    private static OutputStreamAppender<ILoggingEvent> rollingFile(LoggerContext context, LogOutput output,
                                                                  Encoder<ILoggingEvent> encoder) {
        String file = output.file().orElseThrow().toAbsolutePath().toString();
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER_NAME);
        appender.setFile(file);
        appender.setAppend(true);
        appender.setEncoder(encoder);

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(output.keptFiles());
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(output.maxFileBytes()));
        // Checked at every event (one stat), so a file never grows far past its size whatever the event rate.
        trigger.setCheckIncrement(Duration.buildByMilliseconds(0));
        trigger.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.start();
        return appender;
    }

    /** Creates the file (and its folder) or opens it for appending, so a bad path fails with its own reason. */
    private static void checkWritable(Path file) throws IOException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream ignored = Files.newOutputStream(file, CREATE, WRITE, APPEND)) {
                // Only checking that it can be written.
            }
        } catch (IOException e) {
            throw new IOException("Cannot write the log file " + file + ": " + e, e);
        }
    }
}
