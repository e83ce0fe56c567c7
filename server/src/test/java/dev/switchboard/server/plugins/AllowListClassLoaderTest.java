package dev.switchboard.server.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.SettingsSchema;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class AllowListClassLoaderTest {
    private final AllowListClassLoader loader = new AllowListClassLoader(getClass().getClassLoader());

    @Test
    void sharesTheContractPackagesAsTheHostsOwnClasses() throws ClassNotFoundException {
        assertThat(loader.loadClass("dev.switchboard.api.BackendType")).isSameAs(BackendType.class);
        assertThat(loader.loadClass("dev.switchboard.api.settings.SettingsSchema")).isSameAs(SettingsSchema.class);
        assertThat(loader.loadClass("org.pf4j.ExtensionPoint")).isSameAs(org.pf4j.ExtensionPoint.class);
        assertThat(loader.loadClass("org.slf4j.LoggerFactory")).isSameAs(org.slf4j.LoggerFactory.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java.util.List", "java.net.http.HttpClient", "java.sql.Connection",
            "javax.xml.parsers.DocumentBuilderFactory", "org.w3c.dom.Document", "org.xml.sax.SAXException",
            "javax.net.ssl.SSLContext", "sun.misc.Unsafe", "com.sun.net.httpserver.HttpServer",
            "jdk.net.ExtendedSocketOptions"})
    void sharesThePlatformModules(String className) throws ClassNotFoundException {
        assertThat(loader.loadClass(className)).isSameAs(Class.forName(className));
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.google.gson.Gson", "io.undertow.Undertow", "com.google.inject.Guice",
            "picocli.CommandLine", "ch.qos.logback.classic.Logger", "dev.switchboard.server.plugins.PluginHost",
            "dev.switchboard.apiextra.Anything", "org.junit.jupiter.api.Test"})
    void hidesEverythingElseOnTheHostClassPath(String className) {
        assertThatThrownBy(() -> loader.loadClass(className))
                .isInstanceOf(ClassNotFoundException.class)
                .hasMessageContaining(className);
    }

    @Test
    void filtersResourcesTheSameWay() throws Exception {
        assertThat(loader.getResource("dev/switchboard/api/api-version.properties")).isNotNull();
        assertThat(loader.getResource("org/slf4j/Logger.class")).isNotNull();
        assertThat(loader.getResource("java/lang/Object.class")).isNotNull();
        assertThat(loader.getResource("com/google/gson/Gson.class")).isNull();
        assertThat(loader.getResource("logback.xml")).isNull();
        List<URL> manifests = Collections.list(loader.getResources("META-INF/MANIFEST.MF"));
        assertThat(manifests).isEmpty();
        assertThat(Collections.list(loader.getResources("org/slf4j/Logger.class"))).hasSize(1);
    }
}
