package dev.switchboard.server.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ApiVersionTest {

    @Test
    void readsTheFilteredVersionFromTheApiJar() {
        String version = ApiVersion.current();

        assertThat(version).matches(PluginDescriptorValidator.SEMANTIC_VERSION).doesNotContain("${");
        assertThat(version).startsWith("1.");
    }

    @Test
    void isAcceptedAsTheSystemVersionOfAPluginHost(@TempDir Path plugins) {
        try (PluginHost host = new PluginHost(plugins, ApiVersion.current())) {
            assertThat(host.registry().types()).isEmpty();
        }
    }
}
