package dev.switchboard.testkit.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.pf4j.DefaultVersionManager;

/**
 * Opens a built plugin (the zip a plugin module attaches: {@code plugin.properties}, {@code classes/},
 * {@code lib/}; or a jar with everything at its root) and lists the packaging mistakes that make the server
 * ignore or refuse it:
 * <ul>
 *   <li>{@code META-INF/extensions.idx} missing or naming no class (the server finds no backend type);</li>
 *   <li>classes of {@code dev.switchboard.api}, {@code org.pf4j} or {@code org.slf4j} bundled, in the plugin's
 *       classes or inside a {@code lib/} jar (the host provides them; a second copy breaks class identity);</li>
 *   <li>{@code plugin.properties} missing or invalid: {@code plugin.id} syntax, {@code plugin.version} not a
 *       semantic version, {@code plugin.requires} missing or not a version range.</li>
 * </ul>
 * The rules are the server's own (its plugin descriptor validation and class-loader isolation).
 *
 * <p>Use {@link #problems(Path)} in a test, or run {@link #main(String[])} from a build (the plugin parent
 * runs it in every plugin's {@code verify} phase). Stateless and thread-safe.
 */
public final class PluginArtifactCheck {
    /** The syntax the server accepts for {@code plugin.id}. */
    public static final Pattern PLUGIN_ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    /** The syntax the server accepts for {@code plugin.version}: a semantic version such as 1.2.3. */
    public static final Pattern SEMANTIC_VERSION = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

    private static final String DESCRIPTOR = "plugin.properties";
    private static final String INDEX = "META-INF/extensions.idx";
    private static final String CLASSES = "classes/";
    private static final List<String> HOST_PACKAGES = List.of("dev/switchboard/api/", "org/pf4j/", "org/slf4j/");
    // Any released api version will do: the check only needs a version to evaluate the range against.
    private static final String SAMPLE_API_VERSION = "1.0.0";

    /**
     * Runs the check on each artifact named on the command line. Throws instead of calling
     * {@code System.exit}, so it can run inside the Maven JVM (exec-maven-plugin's {@code java} goal), which
     * then fails the build with the message; run from a shell, the JVM exits with status 1.
     *
     * @param args paths of plugin zips or jars
     * @throws IllegalArgumentException when no path is given
     * @throws IllegalStateException listing every problem, when any artifact has one
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: PluginArtifactCheck <plugin.zip|plugin.jar>...");
        }
        List<String> all = new ArrayList<>();
        for (String arg : args) {
            all.addAll(new PluginArtifactCheck().problems(Path.of(arg)));
        }
        if (!all.isEmpty()) {
            throw new IllegalStateException("Plugin artifact check failed:" + System.lineSeparator()
                    + String.join(System.lineSeparator(), all));
        }
        System.out.println("Plugin artifact check passed: " + String.join(", ", args));
    }

    /**
     * Checks one artifact.
     *
     * @param artifact a plugin zip or jar
     * @return one message per problem, each naming the artifact, what is wrong and how to fix it; empty when
     *         the artifact is fine
     * @throws UncheckedIOException when the file cannot be read as a zip
     */
    public List<String> problems(Path artifact) {
        if (!Files.isRegularFile(artifact)) {
            return List.of(artifact + ": no such file; build the plugin (mvn package) first");
        }
        List<String> problems = new ArrayList<>();
        try (ZipFile zip = new ZipFile(artifact.toFile())) {
            boolean zipLayout = zip.getEntry(CLASSES) != null || hasEntryUnder(zip, CLASSES);
            String classesRoot = zipLayout ? CLASSES : "";
            checkExtensionIndex(zip, classesRoot, artifact, problems);
            checkDescriptor(zip, artifact, problems);
            checkBundledHostClasses(zip, classesRoot, artifact, problems);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read plugin artifact " + artifact, e);
        }
        return problems;
    }

    /**
     * Checks one artifact and throws when it has a problem, for use in tests.
     *
     * @param artifact a plugin zip or jar
     * @throws AssertionError listing every problem, when there is any
     */
    public void verify(Path artifact) {
        List<String> problems = problems(artifact);
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join(System.lineSeparator(), problems));
        }
    }

    private static void checkExtensionIndex(ZipFile zip, String classesRoot, Path artifact, List<String> problems)
            throws IOException {
        ZipEntry index = zip.getEntry(classesRoot + INDEX);
        if (index == null) {
            problems.add(artifact + ": " + classesRoot + INDEX + " is missing, so the server finds no backend type"
                    + " in it. Annotate each BackendType implementation with @org.pf4j.Extension and compile with"
                    + " PF4J's annotation processor (the switchboard-plugins parent does).");
            return;
        }
        String text = read(zip, index);
        boolean namesAClass = text.lines().map(String::strip)
                .anyMatch(line -> !line.isEmpty() && !line.startsWith("#"));
        if (!namesAClass) {
            problems.add(artifact + ": " + classesRoot + INDEX + " names no extension class, so the server finds"
                    + " no backend type in it. Annotate each BackendType implementation with @org.pf4j.Extension.");
        }
    }

    private static void checkDescriptor(ZipFile zip, Path artifact, List<String> problems) throws IOException {
        ZipEntry entry = zip.getEntry(DESCRIPTOR);
        if (entry == null) {
            problems.add(artifact + ": " + DESCRIPTOR + " is missing at the root of the artifact; the server"
                    + " cannot load a plugin without a descriptor.");
            return;
        }
        Properties descriptor = new Properties();
        descriptor.load(new StringReader(read(zip, entry)));
        String id = descriptor.getProperty("plugin.id", "").strip();
        if (id.isEmpty()) {
            problems.add(artifact + ": plugin.id is missing in " + DESCRIPTOR + ".");
        } else if (!PLUGIN_ID.matcher(id).matches()) {
            problems.add(artifact + ": plugin.id '" + id + "' is invalid: it must start with a lower-case letter"
                    + " or digit and contain only lower-case letters, digits, '.', '_' and '-'"
                    + unfilteredHint(id));
        }
        String version = descriptor.getProperty("plugin.version", "").strip();
        if (version.isEmpty()) {
            problems.add(artifact + ": plugin.version is missing in " + DESCRIPTOR + ".");
        } else if (!SEMANTIC_VERSION.matcher(version).matches()) {
            problems.add(artifact + ": plugin.version '" + version + "' is not a semantic version such as 1.2.3"
                    + unfilteredHint(version));
        }
        String requires = descriptor.getProperty("plugin.requires", "").strip();
        if (requires.isEmpty() || "*".equals(requires)) {
            problems.add(artifact + ": plugin.requires is missing in " + DESCRIPTOR + "; declare the api versions"
                    + " the plugin works with, e.g. '>=1.0.0 & <2.0.0'.");
        } else if (!isVersionRange(requires)) {
            problems.add(artifact + ": plugin.requires '" + requires + "' is not a version range such as"
                    + " '>=1.0.0 & <2.0.0'" + unfilteredHint(requires));
        }
    }

    private static boolean isVersionRange(String requires) {
        try {
            new DefaultVersionManager().checkVersionConstraint(SAMPLE_API_VERSION, requires);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String unfilteredHint(String value) {
        return value.contains("${") ? " (the placeholder was not filtered: set the property in the pom's"
                + " <properties>, and filter " + DESCRIPTOR + " if the module has its own)." : ".";
    }

    private static void checkBundledHostClasses(ZipFile zip, String classesRoot, Path artifact,
            List<String> problems) throws IOException {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            String name = entry.getName();
            if (name.startsWith(classesRoot) && isHostClass(name.substring(classesRoot.length()))) {
                problems.add(artifact + ": " + name + " is a host class bundled in the plugin. " + fixForBundling());
                return;
            }
            if (name.startsWith("lib/") && name.endsWith(".jar")) {
                String bundled = firstHostClassIn(zip.getInputStream(entry));
                if (bundled != null) {
                    problems.add(artifact + ": " + name + " contains the host class " + bundled + ". "
                            + fixForBundling());
                    return;
                }
            }
        }
    }

    private static String firstHostClassIn(InputStream jar) throws IOException {
        // Read fully first: a nested jar is a zip inside a zip, readable only as a stream.
        byte[] bytes = jar.readAllBytes();
        try (ZipInputStream nested = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry = nested.getNextEntry(); entry != null; entry = nested.getNextEntry()) {
                if (isHostClass(entry.getName())) {
                    return entry.getName();
                }
            }
        }
        return null;
    }

    private static boolean isHostClass(String path) {
        return path.endsWith(".class") && HOST_PACKAGES.stream().anyMatch(path::startsWith);
    }

    private static String fixForBundling() {
        return "The server provides dev.switchboard.api, org.pf4j and org.slf4j; a second copy inside a plugin"
                + " makes its BackendType a different class from the server's. Give those dependencies scope"
                + " 'provided' (the switchboard-plugins parent does) and exclude them from libraries that pull"
                + " them in.";
    }

    private static boolean hasEntryUnder(ZipFile zip, String prefix) {
        return zip.stream().anyMatch(entry -> entry.getName().startsWith(prefix));
    }

    private static String read(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
