package dev.switchboard.server.audit;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import dev.switchboard.server.http.ApiAudit;

/** Binds the audit log: read by {@code GetAuditLog}, written by the API envelope through {@link ApiAudit}. */
public final class AuditModule extends AbstractModule {
    private final AuditLog log;

    /** @param log the server's audit log */
    public AuditModule(AuditLog log) {
        this.log = requireNonNull(log, "log is null");
    }

    @Override
    protected void configure() {
        bind(AuditLog.class).toInstance(log);
        bind(ApiAudit.class).toInstance(log);
    }
}
