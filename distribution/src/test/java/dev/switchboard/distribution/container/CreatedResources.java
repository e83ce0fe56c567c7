package dev.switchboard.distribution.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a test made in podman (containers with their attached runs, volumes, images), removed again by
 * {@link #removeAll()} whatever the test's outcome. Every name carries a random part, so tests of other worktrees
 * running at the same time on the same machine never meet.
 */
final class CreatedResources {
    private final Podman podman;
    private final List<ContainerRun> containers = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();
    private final List<String> images = new ArrayList<>();

    CreatedResources(Podman podman) {
        this.podman = podman;
    }

    /** Starts a container (see {@link ContainerRun#start}) that {@link #removeAll()} removes. */
    ContainerRun run(String name, List<String> arguments, Map<String, String> environment) {
        ContainerRun run = ContainerRun.start(podman, name, arguments, environment);
        containers.add(run);
        return run;
    }

    /** Creates a named volume that {@link #removeAll()} removes. */
    String volume(String name) {
        volumes.add(name);
        podman.check("volume", "create", name);
        return name;
    }

    /** Records an image (before it is built, so a half-finished build is removed too). */
    String image(String name) {
        images.add(name);
        return name;
    }

    /**
     * Removes containers (killed at once), then volumes, then images; an error in one never stops the others.
     *
     * @throws AssertionError after trying everything, naming what could not be removed
     */
    void removeAll() {
        List<String> failures = new ArrayList<>();
        for (ContainerRun container : containers) {
            remove(failures, List.of("rm", "--force", "--volumes", "--time", "0", "--ignore",
                    container.name()));
            container.close();
        }
        for (String volume : volumes) {
            remove(failures, List.of("volume", "rm", "--force", volume));
        }
        for (String image : images) {
            remove(failures, List.of("image", "rm", "--force", "--ignore", image));
        }
        containers.clear();
        volumes.clear();
        images.clear();
        if (!failures.isEmpty()) {
            throw new AssertionError("could not clean up:\n" + String.join("\n", failures));
        }
    }

    private void remove(List<String> failures, List<String> arguments) {
        try {
            Podman.Result result = podman.run(Duration.ofMinutes(1), Map.of(), arguments);
            if (result.exitCode() != 0 && !(arguments.get(0).equals("volume") && result.stderr().contains("no such"))) {
                failures.add(result.command() + ": " + result.stderr().strip());
            }
        } catch (RuntimeException | AssertionError e) {
            failures.add(String.join(" ", arguments) + ": " + e.getMessage());
        }
    }
}
