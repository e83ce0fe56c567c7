package dev.switchboard.server.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** {@code %ex} with every running backend's secrets removed from the messages of the exception chain. */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        return LogRedaction.redact(getContext(), super.throwableProxyToString(throwable));
    }
}
