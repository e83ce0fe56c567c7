package dev.switchboard.server.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.composite.loggingevent.StackTraceJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;

/**
 * The encoders of the two log formats. Both take the message and the stack trace only through the redacting
 * converters of this package, so no format can write a backend's secret.
 */
final class LogEncoders {
    /** The text lines on standard error; the shipped {@code logback.xml} has the same pattern. */
    static final String STDERR_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n%ex";
    /** The text lines of a log file, which can span days: the date and offset too. */
    static final String FILE_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n%ex";

    private LogEncoders() {
    }

    /** A started text encoder with {@code pattern}, whose {@code %msg} and {@code %ex} redact. */
    static Encoder<ILoggingEvent> text(Context context, String pattern) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        // The instance's own rules win over the context's and Logback's defaults.
        layout.getInstanceConverterMap().put("msg", RedactingMessageConverter::new);
        layout.getInstanceConverterMap().put("ex", RedactingThrowableConverter::new);
        layout.setPattern(pattern);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    /**
     * A started JSON-lines encoder (logstash-logback-encoder's composite encoder) writing exactly the fields named
     * in {@link LogFormat#JSON}, the time in ISO-8601 UTC to the millisecond.
     */
    static Encoder<ILoggingEvent> json(Context context) {
        LoggingEventJsonProviders providers = new LoggingEventJsonProviders();
        LoggingEventFormattedTimestampJsonProvider time = new LoggingEventFormattedTimestampJsonProvider();
        time.setFieldName("time");
        time.setPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        time.setTimeZone("UTC");
        providers.addTimestamp(time);
        LogLevelJsonProvider level = new LogLevelJsonProvider();
        level.setFieldName("level");
        providers.addLogLevel(level);
        LoggerNameJsonProvider logger = new LoggerNameJsonProvider();
        logger.setFieldName("logger");
        providers.addLoggerName(logger);
        LoggingEventThreadNameJsonProvider thread = new LoggingEventThreadNameJsonProvider();
        thread.setFieldName("thread");
        providers.addThreadName(thread);
        providers.addProvider(new BackendIdJsonProvider());
        providers.addProvider(new RedactedMessageJsonProvider());
        StackTraceJsonProvider stackTrace = new StackTraceJsonProvider();
        stackTrace.setFieldName("stack_trace");
        RedactingThrowableConverter throwable = new RedactingThrowableConverter();
        throwable.setContext(context);
        stackTrace.setThrowableConverter(throwable);
        providers.addStackTrace(stackTrace);

        LoggingEventCompositeJsonEncoder encoder = new LoggingEventCompositeJsonEncoder();
        encoder.setContext(context);
        encoder.setProviders(providers);
        encoder.start();
        return encoder;
    }
}
