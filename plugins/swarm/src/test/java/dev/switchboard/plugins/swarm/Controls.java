package dev.switchboard.plugins.swarm;

import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.remote.StallingServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test of control backends works with: a remote that misbehaves on request, and the control backends the
 * test makes, each with its testing context. Registered as an extension ({@code @RegisterExtension}), it shuts
 * the backends down and closes the remote after each test.
 */
final class Controls implements AfterEachCallback {
    private final StallingServer remote = StallingServer.start();
    private final List<TestingBackendContext> contexts = new ArrayList<>();
    private final List<SwarmControlBackend> backends = new ArrayList<>();

    /** @return the remote, answering nothing until told otherwise */
    StallingServer remote() {
        return remote;
    }

    /**
     * Makes a context with the schema's defaults and some settings changed.
     *
     * @param overrides setting name to value
     * @return the context, closed with the others
     */
    TestingBackendContext context(Map<String, Object> overrides) {
        TestingBackendContext context = new TestingBackendContext(SwarmBackendTypeTest.settings(overrides));
        contexts.add(context);
        return context;
    }

    /**
     * Makes a control backend (not initialised) on a context.
     *
     * @param context its context
     * @return the backend, shut down with the others
     */
    SwarmControlBackend control(TestingBackendContext context) {
        SwarmControlBackend backend = new SwarmControlBackend(context);
        backends.add(backend);
        return backend;
    }

    @Override
    public void afterEach(ExtensionContext test) {
        backends.forEach(SwarmControlBackend::shutdown);
        contexts.forEach(TestingBackendContext::close);
        remote.close();
    }
}
