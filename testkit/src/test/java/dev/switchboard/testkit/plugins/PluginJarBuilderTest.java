package dev.switchboard.testkit.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PluginJarBuilderTest {
    private static final String TYPE_SOURCE = """
            package com.example;

            import dev.switchboard.api.Backend;
            import dev.switchboard.api.BackendContext;
            import dev.switchboard.api.BackendType;
            import dev.switchboard.api.settings.SettingsSchema;
            import org.pf4j.Extension;

            @Extension
            public class ExampleType implements BackendType {
                public String id() { return "example"; }
                public String displayName() { return "Example"; }
                public String description() { return "An example."; }
                public SettingsSchema settingsSchema() { return SettingsSchema.of(); }
                public Backend create(BackendContext context) { throw new UnsupportedOperationException(); }
            }
            """;

    @TempDir
    Path directory;

    @Test
    void buildsAJarWithDescriptorClassesAndExtensionIndex() throws IOException {
        Path jar = new PluginJarBuilder("example-plugin")
                .version("1.2.3").requires(">=1.0.0 & <2.0.0").provider("tests").description("An example plugin")
                .source("com.example.ExampleType", TYPE_SOURCE)
                .resource("com/example/banner.txt", "hello")
                .build(directory);

        assertThat(jar).isEqualTo(directory.resolve("example-plugin-1.2.3.jar")).isRegularFile();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Properties descriptor = properties(zip, "plugin.properties");
            assertThat(descriptor).containsEntry("plugin.id", "example-plugin")
                    .containsEntry("plugin.version", "1.2.3")
                    .containsEntry("plugin.requires", ">=1.0.0 & <2.0.0")
                    .containsEntry("plugin.provider", "tests")
                    .containsEntry("plugin.description", "An example plugin");
            assertThat(zip.getEntry("com/example/ExampleType.class")).isNotNull();
            assertThat(text(zip, "META-INF/extensions.idx")).contains("com.example.ExampleType");
            assertThat(text(zip, "com/example/banner.txt")).isEqualTo("hello");
            assertThat(zip.getEntry("META-INF/MANIFEST.MF")).isNotNull();
        }
    }

    @Test
    void buildsTheUnpackedDirectoryLayoutWithLibraries() throws IOException {
        Path library = new LibraryJarBuilder("greeter")
                .source("org.example.greeter.Greeter", """
                        package org.example.greeter;
                        public final class Greeter {
                            public static String greet(String name) { return "Hello, " + name; }
                        }
                        """)
                .build(directory);
        String usesLibrary = """
                package com.example;
                public final class UsesLibrary {
                    public static String run() { return org.example.greeter.Greeter.greet("plugin"); }
                }
                """;

        Path root = new PluginJarBuilder("with-lib").library(library)
                .source("com.example.ExampleType", TYPE_SOURCE)
                .source("com.example.UsesLibrary", usesLibrary)
                .buildDirectory(directory);

        assertThat(root).isEqualTo(directory.resolve("with-lib"));
        assertThat(root.resolve("plugin.properties")).isRegularFile();
        assertThat(root.resolve("classes/com/example/UsesLibrary.class")).isRegularFile();
        assertThat(Files.readString(root.resolve("classes/META-INF/extensions.idx")))
                .contains("com.example.ExampleType");
        assertThat(root.resolve("lib/greeter.jar")).isRegularFile();
        URL[] classPath = {root.resolve("classes").toUri().toURL(), root.resolve("lib/greeter.jar").toUri().toURL()};
        try (URLClassLoader loader = new URLClassLoader(classPath, getClass().getClassLoader())) {
            Object greeting = loader.loadClass("com.example.UsesLibrary").getMethod("run").invoke(null);
            assertThat(greeting).isEqualTo("Hello, plugin");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void buildsAZipOfTheDirectoryLayout() throws IOException {
        Path zip = new PluginJarBuilder("zipped").version("2.0.0")
                .source("com.example.ExampleType", TYPE_SOURCE)
                .buildZip(directory);

        assertThat(zip).isEqualTo(directory.resolve("zipped-2.0.0.zip"));
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            assertThat(names(archive)).contains("plugin.properties", "classes/com/example/ExampleType.class",
                    "classes/META-INF/extensions.idx", "lib/");
            assertThat(properties(archive, "plugin.properties")).containsEntry("plugin.id", "zipped");
        }
    }

    @Test
    void canLeaveTheExtensionIndexOut() throws IOException {
        Path jar = new PluginJarBuilder("no-index").withoutExtensionIndex()
                .source("com.example.ExampleType", TYPE_SOURCE)
                .build(directory);

        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(zip.getEntry("com/example/ExampleType.class")).isNotNull();
            assertThat(zip.getEntry("META-INF/extensions.idx")).isNull();
        }
    }

    @Test
    void failsWithTheCompilerDiagnostics() {
        PluginJarBuilder broken = new PluginJarBuilder("broken")
                .source("com.example.Broken", "package com.example; public class Broken { int x = \"text\"; }");

        assertThatThrownBy(() -> broken.build(directory))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("com/example/Broken.java:1")
                .hasMessageContaining("incompatible types");
    }

    @Test
    void refusesLibrariesInAJarAndAnExistingDirectory() throws IOException {
        Path library = new LibraryJarBuilder("empty").build(directory);
        assertThatThrownBy(() -> new PluginJarBuilder("jar-with-lib").library(library).build(directory))
                .isInstanceOf(IllegalStateException.class);

        Files.createDirectory(directory.resolve("taken"));
        assertThatThrownBy(() -> new PluginJarBuilder("taken").buildDirectory(directory))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already exists");
    }

    @Test
    void refusesResourcePathsOutsideTheArchive() {
        assertThatThrownBy(() -> new PluginJarBuilder("p").resource("../escape.txt", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PluginJarBuilder("p").resource("/absolute.txt", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Properties properties(ZipFile zip, String name) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
            properties.load(in);
        }
        return properties;
    }

    private static String text(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        assertThat(entry).as(name).isNotNull();
        try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> names(ZipFile zip) {
        List<String> names = new ArrayList<>();
        Collections.list(zip.entries()).forEach(entry -> names.add(entry.getName()));
        return names;
    }
}
