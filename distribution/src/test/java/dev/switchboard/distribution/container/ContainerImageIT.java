package dev.switchboard.distribution.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.plugins.PluginJarBuilder;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image: {@code distribution/container/Containerfile} built with podman from the assembled
 * distribution on the local Debian base ({@code make-test-base.sh}), then run as an operator runs it: a volume
 * for {@code /data}, the authorization from the environment, the port published on the host's loopback. Skipped
 * when podman is not installed; a podman that is installed but cannot run containers fails the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ContainerImageIT {
    private static final Duration START = Duration.ofSeconds(90);
    /**
     * The stop grace the README and the Containerfile recommend ({@code stop -t 60}), above the server's own worst
     * case for a clean stop: 5 s HTTP grace, 5 s for backends still starting, 5 s job drain, 30 s backend
     * shutdown, 2 s.
     */
    private static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(60);
    private static final String AUTHORIZATION_VARIABLE = "SWITCHBOARD_REQUIRED_AUTHORIZATION";
    private static final String HEALTH_CHECK = "/usr/local/bin/switchboard-healthcheck";
    private static final String NO_PODMAN = "podman is not installed, so the container image is not tested (install"
            + " Debian's podman, runc and debootstrap to test it; .ci/run does)";

    private final String runId = randomHex(4);
    /** With {@code $} and {@code ${...}}, which the server must take literally from the environment. */
    private final String authorization = "Bearer " + randomHex(16) + " $HOME ${x}";
    private Podman podman;
    private CreatedResources image;
    private String imageName;
    private CreatedResources resources;

    @BeforeAll
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void buildTheImage() {
        Optional<Podman> found = Podman.find();
        if (found.isEmpty()) {
            return; // each test is skipped with the reason (an assumption failing here would be reported nowhere)
        }
        podman = found.get();
        Podman.Result info = podman.run(Duration.ofMinutes(1), Map.of(), List.of("info"));
        if (info.exitCode() != 0) {
            fail("podman is installed but does not work (" + info.command() + " failed):\n" + info.stderr());
        }
        ImageBuild build = new ImageBuild(podman);
        long started = System.nanoTime();
        String base = build.localBase();
        long baseReady = System.nanoTime();
        image = new CreatedResources(podman);
        imageName = image.image("localhost/switchboard-it:" + runId);
        build.build(base, imageName);
        long built = System.nanoTime();
        long size = Long.parseLong(podman.check("image", "inspect", "--format", "{{.Size}}", imageName).strip());
        System.out.printf("Container image: base %s ready in %.1f s, image built in %.1f s, %d MB%n", base,
                seconds(baseReady - started), seconds(built - baseReady), size / 1_000_000);
    }

    @AfterAll
    void removeTheImage() {
        if (image != null) {
            image.removeAll();
        }
    }

    @BeforeEach
    void trackResources() {
        assumeTrue(podman != null, NO_PODMAN);
        resources = new CreatedResources(podman);
    }

    @AfterEach
    void removeResources() {
        if (resources != null) {
            resources.removeAll();
        }
    }

    @Test
    void theImageCarriesItsLabelsUserVolumePortStopSignalAndHealthCheck() {
        JsonObject inspected = JsonParser.parseString(podman.check("image", "inspect", imageName))
                .getAsJsonArray().get(0).getAsJsonObject();
        JsonObject config = inspected.getAsJsonObject("Config");
        assertThat(config.getAsJsonObject("Labels").get("org.opencontainers.image.version").getAsString())
                .isEqualTo(ImageBuild.version());
        assertThat(config.getAsJsonObject("Labels").get("org.opencontainers.image.title").getAsString())
                .isEqualTo("Switchboard");
        assertThat(config.getAsJsonObject("Labels").has("org.opencontainers.image.source")).isTrue();
        assertThat(config.get("User").getAsString()).isEqualTo("switchboard:switchboard");
        assertThat(config.getAsJsonObject("Volumes").keySet()).containsExactly("/data");
        assertThat(config.getAsJsonObject("ExposedPorts").keySet()).containsExactly("7801/tcp");
        assertThat(config.get("StopSignal").getAsString()).isEqualTo("SIGTERM");
        assertThat(inspected.getAsJsonObject("Healthcheck").getAsJsonArray("Test").toString())
                .isEqualTo("[\"CMD\",\"" + HEALTH_CHECK + "\"]");
    }

    @Test
    void aNewContainerOnTheSameVolumeFindsTheBackendAndSigtermStopsTheServerCleanly() {
        String volume = resources.volume("switchboard-it-data-" + runId);
        List<String> options = List.of("-p", "127.0.0.1::7801", "-v", volume + ":/data", "-e", AUTHORIZATION_VARIABLE);
        Map<String, String> environment = Map.of(AUTHORIZATION_VARIABLE, authorization);

        ContainerRun first = run("first", options, List.of(), environment);
        Duration firstReady = first.awaitReady(START);
        String url = publishedUrl(first);
        assertThat(new SwarmApiClient(url).postRaw("GetNewSession", "{}").status()).isEqualTo(401);
        SwarmApiClient api = new SwarmApiClient(url, Map.of("Authorization", authorization));
        assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").has("error")).isFalse();
        JsonObject edited = api.call("EditBackend", "{\"backend_id\":0,\"title\":\"beside the container\","
                + "\"settings\":{\"Address\":\"http://comfyui:8188\"}}");
        assertThat(edited.has("error")).as(edited.toString()).isFalse();

        // The JVM itself is PID 1 (the launcher execs it), as the unprivileged user; the class data archive made
        // while building the image is used, not made again.
        assertThat(exec(first, "cat", "/proc/1/comm").strip()).isEqualTo("java");
        assertThat(exec(first, "grep", "^Uid:", "/proc/1/status").split("\\s+")).contains("10001");
        assertThat(first.output()).noneMatch(line -> line.contains("Preparing the class data archive"));
        assertThat(exec(first, "stat", "-c", "%a %U", "/data/backends.json").strip()).isEqualTo("600 switchboard");

        Podman.Result health = podman.run(Duration.ofMinutes(1), Map.of(), List.of("healthcheck", "run", first.name()));
        assertThat(health.exitCode()).as(health.stdout() + health.stderr()).isZero();
        // The check asks the readiness probe, which needs no Authorization: what it prints is /readyz's answer.
        Podman.Result check = podman.run(Duration.ofMinutes(1), Map.of(), List.of("exec", first.name(), HEALTH_CHECK));
        assertThat(check.exitCode()).as(check.stdout() + check.stderr()).isZero();
        assertThat(check.stdout().strip()).isEqualTo("healthy: {\"status\":\"ready\",\"checks\":{\"store\":\"ok\","
                + "\"plugins\":\"ok\",\"http\":\"ok\"}}");

        Duration firstStop = stopWithSigterm(first);

        ContainerRun second = run("second", options, List.of(), environment);
        Duration secondReady = second.awaitReady(START);
        SwarmApiClient again = new SwarmApiClient(publishedUrl(second), Map.of("Authorization", authorization));
        JsonObject backend = again.call("ListBackends").getAsJsonObject("0");
        assertThat(backend).as("backend 0 after a new container on the same volume").isNotNull();
        assertThat(backend.get("title").getAsString()).isEqualTo("beside the container");
        assertThat(backend.get("type").getAsString()).isEqualTo("comfyui_api");
        assertThat(backend.getAsJsonObject("settings").get("Address").getAsString()).isEqualTo("http://comfyui:8188");
        Duration secondStop = stopWithSigterm(second);

        System.out.printf("Container image: podman run to ready line %.1f s (first container), %.1f s (second);"
                        + " podman stop (SIGTERM) %.1f s and %.1f s%n", seconds(firstReady.toNanos()),
                seconds(secondReady.toNanos()), seconds(firstStop.toNanos()), seconds(secondStop.toNanos()));
    }

    @Test
    void withoutAnAuthorizationTheServerRefusesToListenOnAllAddresses() {
        ContainerRun refused = run("refused", List.of(), List.of(), Map.of());
        assertThat(refused.awaitExit(START)).isEqualTo(2);
        assertThat(String.join("\n", refused.output()))
                .contains("refusing to listen on 0.0.0.0 without authentication")
                .contains("--allow-unauthenticated");
    }

    @Test
    void argumentsAfterTheImageReachTheServerAndAPluginMountedIntoThePluginsFolderIsLoaded(@TempDir Path folder)
            throws IOException {
        Path plugin = new PluginJarBuilder("container-dropin").version("1.0.0").requires(">=1.0.0 & <2.0.0")
                .provider("tests").source("test.dropin.DropInType", DROP_IN_TYPE).buildDirectory(folder);
        readableByEveryone(plugin);
        ContainerRun container = run("plugins", List.of("-p", "127.0.0.1::7801",
                        "-v", plugin + ":/opt/switchboard/plugins/container-dropin:ro"),
                List.of("--allow-unauthenticated"), Map.of());
        container.awaitReady(START);
        SwarmApiClient api = new SwarmApiClient(publishedUrl(container));
        List<String> types = new ArrayList<>();
        for (JsonElement type : api.call("ListBackendTypes").getAsJsonArray("list")) {
            types.add(type.getAsJsonObject().get("id").getAsString());
        }
        assertThat(types).contains("container_dropin", "comfyui_api", "comfyui_selfstart", "swarmswarmbackend");
    }

    private ContainerRun run(String role, List<String> options, List<String> serverArguments,
                             Map<String, String> environment) {
        List<String> arguments = new ArrayList<>(Podman.runLimits());
        arguments.addAll(options);
        arguments.add(imageName);
        arguments.addAll(serverArguments);
        return resources.run("switchboard-it-" + role + "-" + runId, arguments, environment);
    }

    /** @return the address podman published the container's port 7801 on, e.g. {@code http://127.0.0.1:41234} */
    private String publishedUrl(ContainerRun container) {
        String published = podman.check("port", container.name(), "7801/tcp").strip();
        assertThat(published).startsWith("127.0.0.1:");
        return "http://" + published;
    }

    private String exec(ContainerRun container, String... command) {
        List<String> arguments = new ArrayList<>(List.of("exec", container.name()));
        arguments.addAll(List.of(command));
        return podman.check(arguments.toArray(String[]::new));
    }

    /**
     * Stops a container as {@code podman stop -t 60} does: SIGTERM, SIGKILL only after the deadline. The server
     * must end by itself, cleanly (exit code 0, not 137 from a SIGKILL) and well within the deadline.
     */
    private Duration stopWithSigterm(ContainerRun container) {
        long started = System.nanoTime();
        podman.run(SHUTDOWN_DEADLINE.plusSeconds(30), Map.of(),
                List.of("stop", "--time", Long.toString(SHUTDOWN_DEADLINE.toSeconds()), container.name()))
                .requireSuccess();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        container.awaitExit(Duration.ofSeconds(30));
        assertThat(podman.check("inspect", "--format", "{{.State.ExitCode}}", container.name()).strip())
                .as("exit code after SIGTERM").isEqualTo("0");
        assertThat(took).isLessThan(SHUTDOWN_DEADLINE);
        assertThat(container.output()).contains("Switchboard stopping", "Switchboard stopped");
        return took;
    }

    /** A bind mount keeps the host's permissions: the server's user (uid 10001) must be able to read the plugin. */
    private static void readableByEveryone(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.setPosixFilePermissions(path,
                        PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static final String DROP_IN_TYPE = """
            package test.dropin;

            import dev.switchboard.api.Backend;
            import dev.switchboard.api.BackendContext;
            import dev.switchboard.api.BackendType;
            import dev.switchboard.api.settings.SettingsSchema;
            import org.pf4j.Extension;

            @Extension
            public class DropInType implements BackendType {
                public String id() { return "container_dropin"; }
                public String displayName() { return "Drop-in"; }
                public String description() { return "Loaded from a folder mounted into the plugins folder."; }
                public SettingsSchema settingsSchema() { return SettingsSchema.of(); }
                public Backend create(BackendContext context) {
                    return new Backend() {
                        public void init() { }
                        public void shutdown() { }
                    };
                }
            }
            """;
}
