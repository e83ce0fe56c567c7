package dev.switchboard.server.dispatch;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.server.backends.BackendSnapshot;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Decides whether a backend could take a job, whatever it is doing now, and why not (SwarmUI's wording, shown to
 * the client when no backend matches): the model files, feature flags, node types, pinned id and type.
 */
final class BackendMatcher {
    private BackendMatcher() {
    }

    /** The outcome for one backend: a match, or the reason it refuses the job. */
    record Verdict(BackendMatch match, String refusal) {
        boolean matches() {
            return match != null;
        }
    }

    /**
     * Tells whether {@code backend} makes images, or may once it has started: its instance generates, or it is
     * an image backend still waiting or loading (its instance not made yet, or between init attempts).
     */
    static boolean generating(BackendSnapshot backend) {
        return backend.canLoadModels() && (backend.generates() || backend.imageBackend()
                && (backend.status() == BackendStatus.WAITING || backend.status() == BackendStatus.LOADING));
    }

    /** Whether {@code backend} could take {@code job} (now or once free); never looks at its status or load. */
    static Verdict judge(BackendSnapshot backend, JobRequirements job) {
        if (job.exactBackendId() != null && backend.id() != job.exactBackendId()
                && (backend.parentId().isEmpty() || backend.parentId().getAsInt() != job.exactBackendId())) {
            return refuse("Backend " + backend.id() + " is not the backend " + job.exactBackendId()
                    + " the request asked for.");
        }
        if (job.backendType() != null && !backend.typeId().equalsIgnoreCase(job.backendType())) {
            return refuse("Request requires backend type '" + job.backendType() + "' but the backend is '"
                    + backend.typeId() + "'.");
        }
        TreeSet<String> missing = new TreeSet<>(job.features());
        missing.removeAll(backend.features());
        missing.removeAll(JobRequirements.IGNORED_FEATURES);
        if (!missing.isEmpty()) {
            return refuse("Request requires flag '" + missing.first() + "' which is not present on the backend.");
        }
        for (String node : job.nodeTypes()) {
            if (!backend.nodeTypes().contains(node)) {
                return refuse("The custom workflow contains an unsupported node type '" + node + "'.");
            }
        }
        Map<ModelType, List<String>> resolved = new EnumMap<>(ModelType.class);
        for (Map.Entry<ModelType, List<String>> wanted : job.models().entrySet()) {
            List<String> listed = backend.models().get(wanted.getKey());
            List<String> names = new ArrayList<>();
            for (String name : wanted.getValue()) {
                // A backend that never reported a list of this kind does not track it: the name goes as sent.
                Optional<String> found = listed == null ? Optional.of(name) : ModelNames.resolve(name, listed);
                if (found.isEmpty()) {
                    return refuse("Request requires model '" + name + "' but the backend does not have that model.");
                }
                names.add(found.get());
            }
            resolved.put(wanted.getKey(), List.copyOf(names));
        }
        return new Verdict(new BackendMatch(backend.id(), resolved), null);
    }

    /** Whether {@code backend} can take work now: running, enabled, generating, a free slot. */
    static boolean free(BackendSnapshot backend) {
        return backend.status() == BackendStatus.RUNNING && backend.enabled() && backend.generates()
                && backend.usages() < backend.maxUsages();
    }

    /** Whether {@code backend} may become able to take work (it is starting, or running). */
    static boolean comingOrThere(BackendSnapshot backend) {
        return backend.enabled() && switch (backend.status()) {
            case RUNNING, LOADING, WAITING -> true;
            default -> false;
        };
    }

    private static Verdict refuse(String reason) {
        return new Verdict(null, reason);
    }
}
