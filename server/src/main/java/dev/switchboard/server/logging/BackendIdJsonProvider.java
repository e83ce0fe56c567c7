package dev.switchboard.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.OptionalInt;
import net.logstash.logback.composite.AbstractFieldJsonProvider;
import tools.jackson.core.JsonGenerator;

/**
 * The JSON {@code backend_id} field, for events of a backend's own logger ({@code backend.<type id>.<backend
 * id>}, the logger every backend writes through): the id, as a number. Other events have no such field.
 */
public final class BackendIdJsonProvider extends AbstractFieldJsonProvider<ILoggingEvent> {
    /** The field's name. */
    public static final String FIELD = "backend_id";
    private static final String PREFIX = "backend.";

    /** A provider writing {@value #FIELD}. */
    public BackendIdJsonProvider() {
        setFieldName(FIELD);
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) {
        OptionalInt id = backendId(event.getLoggerName());
        if (id.isPresent()) {
            generator.writeNumberProperty(getFieldName(), id.getAsInt());
        }
    }

    /**
     * The backend id in a backend logger's name: the part after the last dot (type ids may hold dots themselves);
     * negative for non-real children.
     */
    static OptionalInt backendId(String loggerName) {
        if (loggerName == null || !loggerName.startsWith(PREFIX)) {
            return OptionalInt.empty();
        }
        int dot = loggerName.lastIndexOf('.');
        if (dot < PREFIX.length()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(loggerName.substring(dot + 1)));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
