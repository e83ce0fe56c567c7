package dev.switchboard.server.plugins;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pf4j.DefaultPluginDescriptor;
import org.pf4j.DefaultVersionManager;
import org.pf4j.InvalidPluginDescriptorException;

final class PluginDescriptorValidatorTest {
    private final PluginDescriptorValidator validator = new PluginDescriptorValidator(new DefaultVersionManager(),
            "1.0.0");

    @ParameterizedTest
    @ValueSource(strings = {"comfyui", "swarm-remote", "a", "0day", "vendor.backend_type-2"})
    void acceptsLowerCaseIds(String id) {
        assertThatCode(() -> validator.validate(descriptor(id, "1.0.0", "*"))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ComfyUI", "-leading-dash", ".hidden", "with space", "slash/es", "ümlaut"})
    void refusesOtherIds(String id) {
        assertThatThrownBy(() -> validator.validate(descriptor(id, "1.0.0", "*")))
                .isInstanceOf(InvalidPluginDescriptorException.class)
                .hasMessageStartingWith("plugin.id '" + id + "' is invalid");
    }

    @Test
    void refusesAMissingId() {
        assertThatThrownBy(() -> validator.validate(descriptor(null, "1.0.0", "*")))
                .isInstanceOf(InvalidPluginDescriptorException.class).hasMessage("plugin.id is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0", "0.1.0", "10.20.30", "1.0.0-rc.1", "1.0.0-SNAPSHOT", "1.0.0+build.7"})
    void acceptsSemanticVersions(String version) {
        assertThatCode(() -> validator.validate(descriptor("p", version, "*"))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "1", "v1.0.0", "01.0.0", "1.0.0.0", "latest", " "})
    void refusesOtherVersions(String version) {
        assertThatThrownBy(() -> validator.validate(descriptor("p", version, "*")))
                .isInstanceOf(InvalidPluginDescriptorException.class)
                .hasMessageContaining("plugin.version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "", ">=1.0.0 & <2.0.0", ">=2.0.0", "1.0.0", "~1.0"})
    void acceptsRangesTheVersionManagerCanEvaluate(String requires) {
        assertThatCode(() -> validator.validate(descriptor("p", "1.0.0", requires))).doesNotThrowAnyException();
    }

    @Test
    void refusesAnUnparseableRange() {
        assertThatThrownBy(() -> validator.validate(descriptor("p", "1.0.0", ">= one")))
                .isInstanceOf(InvalidPluginDescriptorException.class)
                .hasMessageStartingWith("plugin.requires '>= one' of plugin 'p' is not a version range");
    }

    private static DefaultPluginDescriptor descriptor(String id, String version, String requires) {
        return new DefaultPluginDescriptor(id, "", null, version, requires, "tests", null);
    }
}
