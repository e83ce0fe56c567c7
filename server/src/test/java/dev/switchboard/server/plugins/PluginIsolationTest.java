package dev.switchboard.server.plugins;

import static dev.switchboard.server.plugins.TestPlugins.API_VERSION;
import static dev.switchboard.server.plugins.TestPlugins.plugin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.BackendType;
import dev.switchboard.api.InitMode;
import dev.switchboard.testkit.plugins.LibraryJarBuilder;
import dev.switchboard.testkit.plugins.PluginJarBuilder;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A plugin sees the JDK, the api, PF4J and SLF4J from the host, its own classes and libraries, and nothing else. */
final class PluginIsolationTest {
    private static final String PROBE = """
            StringBuilder seen = new StringBuilder();
            for (String name : new String[] {"com.google.gson.Gson", "io.undertow.Undertow",
                    "com.google.inject.Guice", "dev.switchboard.server.plugins.PluginHost",
                    "dev.switchboard.api.BackendType", "org.slf4j.Logger", "org.pf4j.Plugin",
                    "javax.xml.parsers.DocumentBuilderFactory", "java.net.http.HttpClient"}) {
                try {
                    Class.forName(name);
                    seen.append(name).append(" visible\\n");
                } catch (ClassNotFoundException e) {
                    seen.append(name).append(" hidden\\n");
                }
            }
            return seen.toString();""";

    @TempDir
    Path plugins;
    @TempDir
    Path work;

    enum Layout {
        JAR, DIRECTORY, ZIP;

        void build(PluginJarBuilder builder, Path plugins) {
            switch (this) {
                case JAR -> builder.build(plugins);
                case DIRECTORY -> builder.buildDirectory(plugins);
                case ZIP -> builder.buildZip(plugins);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void pluginCodeSeesOnlyTheSharedHostPackages(Layout layout) throws Exception {
        layout.build(plugin("probe", new BackendTypeSource("test.probe.Type", "probe_type").description(PROBE)),
                plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            RegisteredBackendType probe = host.registry().find("probe_type").orElseThrow();
            assertThat(probe.description()).isEqualTo("""
                    com.google.gson.Gson hidden
                    io.undertow.Undertow hidden
                    com.google.inject.Guice hidden
                    dev.switchboard.server.plugins.PluginHost hidden
                    dev.switchboard.api.BackendType visible
                    org.slf4j.Logger visible
                    org.pf4j.Plugin visible
                    javax.xml.parsers.DocumentBuilderFactory visible
                    java.net.http.HttpClient visible
                    """);
            ClassLoader loader = probe.classLoader();
            assertThat(loader.loadClass("dev.switchboard.api.BackendType")).isSameAs(BackendType.class);
            assertThat(loader.loadClass("org.slf4j.Logger")).isSameAs(org.slf4j.Logger.class);
            assertThat(loader.loadClass("org.pf4j.Plugin")).isSameAs(org.pf4j.Plugin.class);
            assertThatThrownBy(() -> loader.loadClass("com.google.gson.Gson"))
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void pluginResourcesAreFilteredLikeClasses(Layout layout) throws Exception {
        layout.build(plugin("probe", new BackendTypeSource("test.probe.Type", "probe_type"))
                .resource("test/probe/banner.txt", "mine"), plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            ClassLoader loader = host.registry().find("probe_type").orElseThrow().classLoader();
            assertThat(loader.getResource("test/probe/banner.txt")).isNotNull();
            assertThat(loader.getResource("dev/switchboard/api/api-version.properties")).isNotNull();
            assertThat(loader.getResource("org/slf4j/Logger.class")).isNotNull();
            assertThat(loader.getResource("com/google/gson/Gson.class")).isNull();
            assertThat(loader.getResource("io/undertow/Undertow.class")).isNull();
            assertThat(loader.getResource("dev/switchboard/server/plugins/PluginHost.class")).isNull();
            List<URL> indexes = Collections.list(loader.getResources("META-INF/extensions.idx"));
            assertThat(indexes).hasSize(1).allSatisfy(url -> assertThat(url.toString()).contains(plugins.toString()));
        }
    }

    @Test
    void aPluginThatReliesOnTheHostsGsonFailsAlone() throws Exception {
        plugin("gson-user", new BackendTypeSource("test.gsonuser.Type", "gson_user_type")
                .members("private final Object gson = new com.google.gson.Gson();"))
                .build(plugins);
        TestPlugins.pluginWithType("good", "good_type").build(plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            assertThat(host.registry().types()).extracting(RegisteredBackendType::id).containsExactly("good_type");
            PluginInfo gsonUser = host.plugins().get(1);
            assertThat(gsonUser.id()).isEqualTo("gson-user");
            assertThat(gsonUser.state()).isEqualTo("failed");
            assertThat(gsonUser.error()).hasValue("Backend type test.gsonuser.Type.<init>() threw"
                    + " java.lang.NoClassDefFoundError: com/google/gson/Gson");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"DIRECTORY", "ZIP"})
    void aPluginUsesTheLibrariesItBundles(Layout layout) throws Exception {
        Path library = new LibraryJarBuilder("private-lib")
                .source("org.example.greeter.Greeter", """
                        package org.example.greeter;
                        public final class Greeter {
                            public static String greet(String name) { return "Hello, " + name; }
                        }
                        """)
                .source("com.google.gson.Gson", """
                        package com.google.gson;
                        public final class Gson {
                            public static String origin() { return "bundled with the plugin"; }
                        }
                        """)
                .build(work);
        BackendTypeSource type = new BackendTypeSource("test.withlib.Type", "with_lib_type").description("""
                try {
                    return org.example.greeter.Greeter.greet("plugin") + " / "
                            + Class.forName("com.google.gson.Gson").getMethod("origin").invoke(null);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }""");
        layout.build(plugin("with-lib", type).library(library), plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            RegisteredBackendType registered = host.registry().find("with_lib_type").orElseThrow();
            assertThat(registered.description()).isEqualTo("Hello, plugin / bundled with the plugin");
            assertThat(registered.classLoader().loadClass("com.google.gson.Gson"))
                    .isNotSameAs(com.google.gson.Gson.class);
        }
    }

    @Test
    void aBundledCopyOfTheApiNeverShadowsTheHostsApi() throws Exception {
        Path bundledApi = new LibraryJarBuilder("switchboard-api-copy")
                .source("dev.switchboard.api.InitMode", "package dev.switchboard.api; public enum InitMode { BOGUS }")
                .build(work);
        BackendTypeSource type = new BackendTypeSource("test.apicopy.Type", "api_copy_type")
                .members("@Override public InitMode initMode() { return InitMode.SERIAL; }");
        plugin("api-copy", type).library(bundledApi).buildDirectory(plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            RegisteredBackendType registered = host.registry().find("api_copy_type").orElseThrow();
            assertThat(registered.initMode()).isEqualTo(InitMode.SERIAL);
            assertThat(registered.classLoader().loadClass("dev.switchboard.api.InitMode")).isSameAs(InitMode.class);
        }
    }
}
