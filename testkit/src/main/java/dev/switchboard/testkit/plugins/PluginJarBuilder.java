package dev.switchboard.testkit.plugins;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Builds a real, packaged PF4J plugin at test time: the sources are compiled in-process against the test class
 * path (plus the plugin's own libraries) with PF4J's annotation processor, so {@code META-INF/extensions.idx} is
 * generated exactly as a plugin build would, and a {@code plugin.properties} descriptor is written.
 *
 * <pre>{@code
 * Path jar = new PluginJarBuilder("my-plugin")
 *         .version("1.0.0").requires(">=1.0.0 & <2.0.0").provider("tests")
 *         .source("com.example.MyType", "package com.example; ... public class MyType implements BackendType {...}")
 *         .build(directory);                       // directory/my-plugin-1.0.0.jar
 * }</pre>
 *
 * <p>Three layouts: {@link #build} (a jar with everything at its root), {@link #buildDirectory} (the unpacked
 * {@code plugin.properties} + {@code classes/} + {@code lib/} layout the distribution ships) and
 * {@link #buildZip} (that layout zipped). The builder does not validate what it is given, so tests can build
 * deliberately broken plugins. Not thread-safe.
 */
public final class PluginJarBuilder {
    private static final String DESCRIPTOR = "plugin.properties";

    private final String pluginId;
    private final Map<String, String> descriptor = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> resources = new LinkedHashMap<>();
    private final List<Path> libraries = new ArrayList<>();
    private boolean extensionIndex = true;

    /**
     * Starts a plugin with version {@code 1.0.0} and no other descriptor entries.
     *
     * @param pluginId the value of {@code plugin.id}, written as given
     */
    public PluginJarBuilder(String pluginId) {
        this.pluginId = requireNonNull(pluginId, "pluginId is null");
        descriptor.put("plugin.id", pluginId);
        descriptor.put("plugin.version", "1.0.0");
    }

    /** Sets {@code plugin.version}. */
    public PluginJarBuilder version(String version) {
        return property("plugin.version", version);
    }

    /** Sets {@code plugin.requires}, e.g. {@code ">=1.0.0 & <2.0.0"}. */
    public PluginJarBuilder requires(String requires) {
        return property("plugin.requires", requires);
    }

    /** Sets {@code plugin.provider}. */
    public PluginJarBuilder provider(String provider) {
        return property("plugin.provider", provider);
    }

    /** Sets {@code plugin.description}. */
    public PluginJarBuilder description(String description) {
        return property("plugin.description", description);
    }

    /** Sets {@code plugin.class}, the optional {@code org.pf4j.Plugin} subclass. */
    public PluginJarBuilder pluginClass(String className) {
        return property("plugin.class", className);
    }

    /** Sets any descriptor entry, replacing an earlier value (including {@code plugin.id}). */
    public PluginJarBuilder property(String key, String value) {
        descriptor.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
        return this;
    }

    /**
     * Adds a compilation unit.
     *
     * @param className the fully qualified name of its top-level class, e.g. {@code com.example.MyType}
     * @param code the complete source text
     */
    public PluginJarBuilder source(String className, String code) {
        sources.put(requireNonNull(className, "className is null"), requireNonNull(code, "code is null"));
        return this;
    }

    /**
     * Adds a resource next to the classes.
     *
     * @param path a relative path such as {@code com/example/banner.txt}
     * @param content the UTF-8 content
     */
    public PluginJarBuilder resource(String path, String content) {
        resources.put(relative(path), requireNonNull(content, "content is null"));
        return this;
    }

    /**
     * Bundles a private library: it is on the class path when the sources compile and is copied into
     * {@code lib/}. Only the directory and zip layouts can hold libraries.
     *
     * @param jar an existing jar file
     */
    public PluginJarBuilder library(Path jar) {
        libraries.add(requireNonNull(jar, "jar is null"));
        return this;
    }

    /**
     * Compiles without annotation processing, so no extension index is written: the packaging mistake a plugin
     * build makes when javac does not run PF4J's processor.
     */
    public PluginJarBuilder withoutExtensionIndex() {
        extensionIndex = false;
        return this;
    }

    /**
     * Builds the plugin as one jar: classes, resources, {@code META-INF/extensions.idx} and
     * {@code plugin.properties} at its root.
     *
     * @param directory an existing directory
     * @return {@code directory/<id>-<version>.jar}
     * @throws IllegalArgumentException when the sources do not compile (the message holds the diagnostics)
     * @throws IllegalStateException when libraries were added (a jar plugin cannot nest jars)
     */
    public Path build(Path directory) {
        if (!libraries.isEmpty()) {
            throw new IllegalStateException("A jar plugin cannot bundle libraries: use buildDirectory or buildZip");
        }
        Path jar = directory.resolve(fileName() + ".jar");
        StagingDirectory.use(staging -> {
            compileAndCopyResources(staging);
            writeDescriptor(staging.resolve(DESCRIPTOR));
            Archives.jar(staging, jar);
        });
        return jar;
    }

    /**
     * Builds the unpacked layout {@code <id>/plugin.properties}, {@code <id>/classes/}, {@code <id>/lib/}.
     *
     * @param parent an existing directory, e.g. a plugins root
     * @return {@code parent/<id>}
     * @throws IllegalArgumentException when the sources do not compile (the message holds the diagnostics)
     * @throws IllegalStateException when {@code parent/<id>} already exists
     */
    public Path buildDirectory(Path parent) {
        Path root = parent.resolve(pluginId);
        if (Files.exists(root)) {
            throw new IllegalStateException(root + " already exists");
        }
        writeDirectoryLayout(root);
        return root;
    }

    /**
     * Builds the directory layout packed as a zip, the shape a plugin module's assembly attaches.
     *
     * @param directory an existing directory
     * @return {@code directory/<id>-<version>.zip}
     * @throws IllegalArgumentException when the sources do not compile (the message holds the diagnostics)
     */
    public Path buildZip(Path directory) {
        Path zip = directory.resolve(fileName() + ".zip");
        StagingDirectory.use(staging -> {
            writeDirectoryLayout(staging);
            Archives.zip(staging, zip);
        });
        return zip;
    }

    private void writeDirectoryLayout(Path root) {
        try {
            Files.createDirectories(root.resolve("classes"));
            Files.createDirectories(root.resolve("lib"));
            compileAndCopyResources(root.resolve("classes"));
            writeDescriptor(root.resolve(DESCRIPTOR));
            for (Path library : libraries) {
                Files.copy(library, root.resolve("lib").resolve(library.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write plugin directory " + root, e);
        }
    }

    private void compileAndCopyResources(Path classes) throws IOException {
        new SourceCompiler(sources, libraries, extensionIndex).compileInto(classes);
        for (Map.Entry<String, String> resource : resources.entrySet()) {
            Path target = classes.resolve(resource.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, resource.getValue(), StandardCharsets.UTF_8);
        }
    }

    private void writeDescriptor(Path target) throws IOException {
        Properties properties = new Properties();
        properties.putAll(descriptor);
        try (Writer writer = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            properties.store(writer, "PF4J plugin descriptor written by PluginJarBuilder");
        }
    }

    private String fileName() {
        return pluginId + "-" + descriptor.getOrDefault("plugin.version", "0.0.0");
    }

    static String relative(String path) {
        requireNonNull(path, "path is null");
        if (path.isEmpty() || path.startsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException("resource path must be relative: " + path);
        }
        return path;
    }
}
