// tag::contract[]
package dev.switchboard.examples.echo;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.contract.BackendTypeContractTest;
import java.util.Map;
import java.util.Optional;

final class EchoContractTest extends BackendTypeContractTest {
    @Override
    protected BackendType backendType() {
        return new EchoBackendType();
    }

    @Override
    protected Optional<Settings> workingSettings() {
        // The defaults start an echo backend; a real type would point them at a stand-in here.
        return Optional.of(EchoSettings.SCHEMA.defaults());
    }

    @Override
    protected String whyInitIsNeverSlow() {
        // A type that talks to an engine overrides slowInitSettings() with settings for a stand-in that never answers.
        return "the echo backend's init does no I/O and returns at once";
    }

    @Override
    protected Optional<Settings> slowGenerationSettings() {
        // A minute per step: only a cancellation ends such a job in time.
        return Optional.of(EchoBackendTest.settings(Map.of(EchoSettings.STEP_MILLIS, 60_000L)));
    }
}
// end::contract[]
