package dev.switchboard.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import net.logstash.logback.composite.AbstractFieldJsonProvider;
import tools.jackson.core.JsonGenerator;

/**
 * The JSON {@code message} field: the formatted message with every running backend's secrets removed, through
 * the same redactors as the text format's {@code %msg} (see {@link LogRedaction}). The encoder's own message
 * provider has no such hook, so it is never used.
 */
public final class RedactedMessageJsonProvider extends AbstractFieldJsonProvider<ILoggingEvent> {
    /** The field's name. */
    public static final String FIELD = "message";

    /** A provider writing {@value #FIELD}. */
    public RedactedMessageJsonProvider() {
        setFieldName(FIELD);
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) {
        generator.writeStringProperty(getFieldName(), LogRedaction.redact(getContext(), event.getFormattedMessage()));
    }
}
