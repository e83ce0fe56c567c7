package dev.switchboard.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Context;
import dev.switchboard.server.secrets.Redactor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Routes every log line of this JVM through the redactors of the running servers: the layout's {@code %msg} and
 * {@code %ex} converters ({@link RedactingMessageConverter}, {@link RedactingThrowableConverter}) look the
 * active redactors up in Logback's context, where {@link #install} keeps them.
 */
public final class LogRedaction {
    private static final String KEY = LogRedaction.class.getName();

    private LogRedaction() {
    }

    /**
     * Makes log lines redact {@code redactor}'s secrets until the returned handle is closed. Does nothing when
     * the logging backend is not Logback.
     */
    public static Installed install(Redactor redactor) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return () -> { };
        }
        return install(context, redactor);
    }

    /** Makes the log lines of {@code context} redact {@code redactor}'s secrets until the handle is closed. */
    static Installed install(Context context, Redactor redactor) {
        List<Redactor> active = active(context);
        active.add(redactor);
        return () -> active.remove(redactor);
    }

    /** A redactor's place among the active ones; closing it removes it. */
    public interface Installed extends AutoCloseable {
        @Override
        void close();
    }

    /** The text with the secrets of every active redactor of {@code context} removed. */
    static String redact(Context context, String text) {
        if (context == null || text == null) {
            return text;
        }
        Object active = context.getObject(KEY);
        if (!(active instanceof List<?> redactors)) {
            return text;
        }
        String result = text;
        for (Object redactor : redactors) {
            result = ((Redactor) redactor).redact(result);
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static List<Redactor> active(Context context) {
        context.getConfigurationLock().lock();
        try {
            Object existing = context.getObject(KEY);
            if (existing instanceof List<?>) {
                return (List<Redactor>) existing;
            }
            List<Redactor> created = new CopyOnWriteArrayList<>();
            context.putObject(KEY, created);
            return created;
        } finally {
            context.getConfigurationLock().unlock();
        }
    }
}
