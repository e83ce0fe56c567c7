package dev.switchboard.testkit.plugins;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.pf4j.processor.ExtensionAnnotationProcessor;

/**
 * Compiles Java sources held in strings into a directory, in-process, against the current class path plus
 * extra jars. With annotation processing on, PF4J's processor runs explicitly (not through service
 * discovery, which JDK 23+ no longer does by default), so {@code META-INF/extensions.idx} is written.
 */
final class SourceCompiler {
    private final Map<String, String> sources;
    private final List<Path> extraClassPath;
    private final boolean extensionIndex;

    SourceCompiler(Map<String, String> sources, List<Path> extraClassPath, boolean extensionIndex) {
        this.sources = Map.copyOf(requireNonNull(sources, "sources is null"));
        this.extraClassPath = List.copyOf(requireNonNull(extraClassPath, "extraClassPath is null"));
        this.extensionIndex = extensionIndex;
    }

    /**
     * Compiles every source into {@code outputDirectory}.
     *
     * @throws IllegalArgumentException when the sources do not compile; the message holds the diagnostics
     */
    void compileInto(Path outputDirectory) {
        if (sources.isEmpty()) {
            return;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("No Java compiler available: run the tests on a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = new ArrayList<>(List.of(
                "-classpath", classPath(), "-d", outputDirectory.toString(), "-encoding", "UTF-8"));
        if (!extensionIndex) {
            options.add("-proc:none");
        }
        List<JavaFileObject> units = sources.entrySet().stream()
                .map(entry -> new StringSource(entry.getKey(), entry.getValue()))
                .collect(Collectors.toList());
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            JavaCompiler.CompilationTask task = compiler.getTask(null, files, diagnostics, options, null, units);
            if (extensionIndex) {
                task.setProcessors(List.of(new ExtensionAnnotationProcessor()));
            }
            if (!task.call()) {
                throw new IllegalArgumentException("Compiling the plugin sources failed:\n" + errors(diagnostics));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String classPath() {
        List<String> entries = new ArrayList<>();
        entries.add(System.getProperty("java.class.path"));
        extraClassPath.forEach(jar -> entries.add(jar.toAbsolutePath().toString()));
        return String.join(File.pathSeparator, entries);
    }

    private static String errors(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                .filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
                .map(SourceCompiler::format)
                .collect(Collectors.joining("\n"));
    }

    private static String format(Diagnostic<? extends JavaFileObject> diagnostic) {
        String where = diagnostic.getSource() == null ? "" : diagnostic.getSource().getName() + ":"
                + diagnostic.getLineNumber() + ": ";
        return where + diagnostic.getMessage(Locale.ROOT);
    }

    private static final class StringSource extends SimpleJavaFileObject {
        private final String code;

        StringSource(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = requireNonNull(code, "code is null");
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
