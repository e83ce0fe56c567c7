package dev.switchboard.testkit.plugins;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a plain library jar from sources at test time, e.g. a private dependency for
 * {@link PluginJarBuilder#library(Path)} that the host's class path does not have. Not thread-safe.
 */
public final class LibraryJarBuilder {
    private final String name;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> resources = new LinkedHashMap<>();

    /**
     * Starts a library.
     *
     * @param name the jar's file name without {@code .jar}
     */
    public LibraryJarBuilder(String name) {
        this.name = requireNonNull(name, "name is null");
    }

    /**
     * Adds a compilation unit.
     *
     * @param className the fully qualified name of its top-level class
     * @param code the complete source text
     */
    public LibraryJarBuilder source(String className, String code) {
        sources.put(requireNonNull(className, "className is null"), requireNonNull(code, "code is null"));
        return this;
    }

    /**
     * Adds a resource.
     *
     * @param path a relative path such as {@code com/example/data.txt}
     * @param content the UTF-8 content
     */
    public LibraryJarBuilder resource(String path, String content) {
        resources.put(PluginJarBuilder.relative(path), requireNonNull(content, "content is null"));
        return this;
    }

    /**
     * Compiles the sources (no annotation processing) and packs them with the resources.
     *
     * @param directory an existing directory
     * @return {@code directory/<name>.jar}
     * @throws IllegalArgumentException when the sources do not compile (the message holds the diagnostics)
     */
    public Path build(Path directory) {
        Path jar = directory.resolve(name + ".jar");
        StagingDirectory.use(staging -> {
            new SourceCompiler(sources, List.of(), false).compileInto(staging);
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                Path target = staging.resolve(resource.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, resource.getValue(), StandardCharsets.UTF_8);
            }
            Archives.jar(staging, jar);
        });
        return jar;
    }
}
