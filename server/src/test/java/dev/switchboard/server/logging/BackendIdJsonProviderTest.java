package dev.switchboard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

final class BackendIdJsonProviderTest {
    @Test
    void theIdIsTheLastPartOfABackendLoggersName() {
        assertThat(BackendIdJsonProvider.backendId("backend.comfyui_api.3")).hasValue(3);
        assertThat(BackendIdJsonProvider.backendId("backend.swarmswarmbackend.-12")).hasValue(-12);
        assertThat(BackendIdJsonProvider.backendId("backend.vendor.type.with.dots.40")).hasValue(40);
    }

    @Test
    void otherLoggersHaveNoId() {
        assertThat(BackendIdJsonProvider.backendId("dev.switchboard.server.backends.BackendLifecycle")).isEmpty();
        assertThat(BackendIdJsonProvider.backendId("backend.5")).isEqualTo(OptionalInt.empty());
        assertThat(BackendIdJsonProvider.backendId("backend.comfyui_api.x")).isEmpty();
        assertThat(BackendIdJsonProvider.backendId("backends.comfyui_api.3")).isEmpty();
        assertThat(BackendIdJsonProvider.backendId(null)).isEmpty();
    }
}
