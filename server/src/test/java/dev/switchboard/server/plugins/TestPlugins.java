package dev.switchboard.server.plugins;

import dev.switchboard.testkit.plugins.PluginJarBuilder;

/** Shorthands for the plugins the tests build. */
final class TestPlugins {
    static final String API_VERSION = "1.0.0";

    private TestPlugins() {
    }

    /** A plugin accepting api 1.x and holding the given types. */
    static PluginJarBuilder plugin(String pluginId, BackendTypeSource... types) {
        PluginJarBuilder builder = new PluginJarBuilder(pluginId).requires(">=1.0.0 & <2.0.0").provider("tests");
        for (BackendTypeSource type : types) {
            builder.source(type.className(), type.code());
        }
        return builder;
    }

    /** A plugin with one well-behaved type whose id is {@code typeId}, in package {@code test.<typeId>}. */
    static PluginJarBuilder pluginWithType(String pluginId, String typeId) {
        return plugin(pluginId, new BackendTypeSource("test." + typeId.replace('-', '_') + ".Type", typeId));
    }
}
