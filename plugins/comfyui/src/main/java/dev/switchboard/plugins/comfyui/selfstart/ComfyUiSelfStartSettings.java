package dev.switchboard.plugins.comfyui.selfstart;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingIssue;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The settings of a {@code comfyui_selfstart} backend: the schema (names, dropdown values and defaults as in
 * SwarmUI, so saved configurations carry over), their validation, and a typed view of one backend's values.
 */
public final class ComfyUiSelfStartSettings {

    /** Path to ComfyUI's {@code main.py} (or a {@code .sh}/{@code .bat} that starts it). */
    public static final String START_SCRIPT = "StartScript";
    /** Further command-line arguments, split like a shell would. */
    public static final String EXTRA_ARGS = "ExtraArgs";
    /** Whether to leave out the arguments Switchboard adds (previews, frontend). */
    public static final String DISABLE_INTERNAL_ARGS = "DisableInternalArgs";
    /** Whether to {@code git pull} ComfyUI before launching it. */
    public static final String AUTO_UPDATE = "AutoUpdate";
    /** Whether to {@code git pull} the custom node repositories before launching. */
    public static final String UPDATE_MANAGED_NODES = "UpdateManagedNodes";
    /** Which web frontend ComfyUI serves. */
    public static final String FRONTEND_VERSION = "FrontendVersion";
    /** Which preview method ComfyUI uses. */
    public static final String ENABLE_PREVIEWS = "EnablePreviews";
    /** The GPUs ComfyUI may see. */
    public static final String GPU_ID = "GPU_ID";
    /** How many jobs beyond the first may be handed over at once. */
    public static final String OVER_QUEUE = "OverQueue";
    /** Whether a crash after start-up relaunches ComfyUI. */
    public static final String AUTO_RESTART = "AutoRestart";

    /** The frontend SwarmUI validated last; used for {@code LatestSwarmValidated}. */
    static final String SWARM_VALIDATED_FRONTEND = "1.25.11";

    private static final List<String> UPDATE_VALUES = List.of("true", "aggressive", "false");
    private static final List<String> UPDATE_NAMES = List.of("Always Update",
            "Always Aggressively Update (Force-Update)", "Don't Update");

    /** The schema, in display order. */
    public static final SettingsSchema SCHEMA = SettingsSchema.of(
            SettingDefinition.builder(START_SCRIPT, SettingType.TEXT)
                    .defaultValue("")
                    .description("Full path to ComfyUI's main.py, for example /opt/ComfyUI/main.py (a .sh or .bat "
                            + "script that starts ComfyUI works too). A venv folder next to main.py is used when "
                            + "present. Leave it empty to keep this backend switched off.")
                    .build(),
            SettingDefinition.builder(EXTRA_ARGS, SettingType.TEXT)
                    .defaultValue("")
                    .description("More command-line arguments for ComfyUI, written as in a shell (quotes group "
                            + "words), for example --lowvram. The port is chosen by Switchboard.")
                    .build(),
            SettingDefinition.builder(DISABLE_INTERNAL_ARGS, SettingType.BOOLEAN)
                    .defaultValue(false)
                    .description("Do not add the preview and frontend arguments Switchboard normally passes. "
                            + "For ComfyUI builds that do not understand them.")
                    .build(),
            SettingDefinition.builder(AUTO_UPDATE, SettingType.DROPDOWN)
                    .defaultValue("false")
                    .values(UPDATE_VALUES).valueNames(UPDATE_NAMES)
                    .description("Update ComfyUI with git before each launch. Aggressive keeps local changes "
                            + "aside (git pull --autostash). A failed update is logged and never stops the launch.")
                    .build(),
            SettingDefinition.builder(UPDATE_MANAGED_NODES, SettingType.DROPDOWN)
                    .defaultValue("false")
                    .values(UPDATE_VALUES).valueNames(UPDATE_NAMES)
                    .description("Update the git repositories under custom_nodes/ before each launch, the same "
                            + "way as ComfyUI itself.")
                    .build(),
            SettingDefinition.builder(FRONTEND_VERSION, SettingType.DROPDOWN)
                    .defaultValue("LatestSwarmValidated")
                    .values(List.of("Latest", "None", "LatestSwarmValidated", "Legacy"))
                    .valueNames(List.of("Latest", "None", "Latest Swarm Validated", "Legacy (Pre Sept 2024)"))
                    .description("Which web interface ComfyUI serves: the newest, none chosen (ComfyUI's own "
                            + "default), the newest one known to work with Swarm, or the legacy one.")
                    .build(),
            SettingDefinition.builder(ENABLE_PREVIEWS, SettingType.DROPDOWN)
                    .defaultValue("true")
                    .values(List.of("false", "true", "taesd"))
                    .valueNames(List.of("Disabled", "Enabled (fast latent2rgb)", "Enabled HD (slow TAESD)"))
                    .description("Whether ComfyUI sends previews of images while they are generated, and how "
                            + "good they look (HD previews cost time).")
                    .build(),
            SettingDefinition.builder(GPU_ID, SettingType.TEXT)
                    .defaultValue("0")
                    .description("Which GPU ComfyUI uses, by number (0 is the first). Several, like 0,1, make all "
                            + "of them visible to it.")
                    .build(),
            SettingDefinition.builder(OVER_QUEUE, SettingType.INTEGER)
                    .defaultValue(1)
                    .range(-1, 1000)
                    .description("How many more jobs to hand to ComfyUI while one is running. 0 sends one job at a "
                            + "time; -1 sends no work at all (for a ComfyUI used only through its own interface).")
                    .build(),
            SettingDefinition.builder(AUTO_RESTART, SettingType.BOOLEAN)
                    .defaultValue(true)
                    .description("When ComfyUI exits unexpectedly after it was running, start it again (waiting "
                            + "longer after each crash; repeated crashes stop the restarts).")
                    .build());

    private final String startScript;
    private final List<String> extraArgs;
    private final boolean disableInternalArgs;
    private final String autoUpdate;
    private final String updateManagedNodes;
    private final String frontendVersion;
    private final String enablePreviews;
    private final String gpuIds;
    private final int overQueue;
    private final boolean autoRestart;

    /**
     * Reads a backend's settings.
     *
     * @param settings values of {@link #SCHEMA} that passed {@link #validate}
     * @throws IllegalArgumentException when they did not
     */
    public ComfyUiSelfStartSettings(Settings settings) {
        requireNonNull(settings, "settings is null");
        this.startScript = trimScript(settings.getString(START_SCRIPT));
        this.extraArgs = ShellWords.split(settings.getString(EXTRA_ARGS));
        this.disableInternalArgs = settings.getBoolean(DISABLE_INTERNAL_ARGS);
        this.autoUpdate = settings.getString(AUTO_UPDATE);
        this.updateManagedNodes = settings.getString(UPDATE_MANAGED_NODES);
        this.frontendVersion = settings.getString(FRONTEND_VERSION);
        this.enablePreviews = settings.getString(ENABLE_PREVIEWS);
        this.gpuIds = settings.getString(GPU_ID).replace(" ", "");
        this.overQueue = settings.getInt(OVER_QUEUE);
        this.autoRestart = settings.getBoolean(AUTO_RESTART);
    }

    /**
     * Checks what the schema cannot: the GPU list, the script's extension, the argument quoting.
     *
     * @param settings values of {@link #SCHEMA}
     * @return the problems; empty when the settings are usable
     */
    static List<SettingIssue> validate(Settings settings) {
        List<SettingIssue> issues = new ArrayList<>();
        gpuProblem(settings.getString(GPU_ID)).ifPresent(p -> issues.add(new SettingIssue(GPU_ID, p)));
        String script = trimScript(settings.getString(START_SCRIPT));
        String lower = script.toLowerCase(Locale.ROOT);
        if (!script.isEmpty() && !(lower.endsWith(".py") || lower.endsWith(".sh") || lower.endsWith(".bat"))) {
            issues.add(new SettingIssue(START_SCRIPT, "StartScript must be the path of ComfyUI's main.py (or of a "
                    + ".sh or .bat script that starts it), for example /opt/ComfyUI/main.py."));
        }
        try {
            ShellWords.split(settings.getString(EXTRA_ARGS));
        } catch (IllegalArgumentException e) {
            issues.add(new SettingIssue(EXTRA_ARGS, "ExtraArgs: " + e.getMessage()));
        }
        return issues;
    }

    private static java.util.Optional<String> gpuProblem(String raw) {
        String text = raw.replace(" ", "");
        String usage = "GPU_ID must be a GPU number such as 0, or several separated by commas such as 0,1.";
        if (text.isEmpty()) {
            return java.util.Optional.of(usage);
        }
        Set<String> seen = new HashSet<>();
        for (String part : text.split(",", -1)) {
            if (part.isEmpty() || !part.chars().allMatch(c -> c >= '0' && c <= '9') || part.length() > 4) {
                return java.util.Optional.of(usage);
            }
            if (!seen.add(String.valueOf(Integer.parseInt(part)))) {
                return java.util.Optional.of("GPU_ID lists GPU " + part + " twice; name each GPU once.");
            }
        }
        return java.util.Optional.empty();
    }

    /** SwarmUI trims spaces, quotes and line breaks around the path (people paste quoted paths). */
    private static String trimScript(String raw) {
        return raw.strip().replaceAll("^[\"'\\s]+|[\"'\\s]+$", "");
    }

    /** @return the script path; empty when the backend is not configured */
    public String startScript() {
        return startScript;
    }

    /** @return the script as a path; only when {@link #startScript()} is not empty */
    Path scriptPath() {
        return Path.of(startScript).toAbsolutePath().normalize();
    }

    /** @return the extra arguments, already split */
    public List<String> extraArgs() {
        return extraArgs;
    }

    /** @return the arguments Switchboard adds, in order; empty when disabled */
    public List<String> internalArgs() {
        List<String> args = new ArrayList<>();
        if (disableInternalArgs) {
            return args;
        }
        // No --extra-model-paths-config: Switchboard has no model folders of its own yet, so there is
        // nothing to map into ComfyUI.
        if (enablePreviews.equals("true")) {
            args.addAll(List.of("--preview-method", "latent2rgb"));
        } else if (enablePreviews.equals("taesd")) {
            args.addAll(List.of("--preview-method", "taesd"));
        }
        switch (frontendVersion) {
            case "Latest" -> args.addAll(List.of("--front-end-version", "Comfy-Org/ComfyUI_frontend@latest"));
            case "LatestSwarmValidated" -> args.addAll(List.of("--front-end-version",
                    "Comfy-Org/ComfyUI_frontend@v" + SWARM_VALIDATED_FRONTEND));
            case "Legacy" -> args.addAll(List.of("--front-end-version", "Comfy-Org/ComfyUI_legacy_frontend@latest"));
            default -> {
                // "None": ComfyUI picks its bundled frontend.
            }
        }
        return args;
    }

    /** @return {@code true}, {@code aggressive} or {@code false} */
    public String autoUpdate() {
        return autoUpdate;
    }

    /** @return {@code true}, {@code aggressive} or {@code false} */
    public String updateManagedNodes() {
        return updateManagedNodes;
    }

    /** @return the GPU list without spaces, e.g. {@code 0,1} */
    public String gpuIds() {
        return gpuIds;
    }

    /** @return one running job plus {@code OverQueue} queued ones; 0 for a UI-only backend */
    public int maxUsages() {
        return Math.max(0, 1 + overQueue);
    }

    /** @return whether a crash after start-up relaunches ComfyUI */
    public boolean autoRestart() {
        return autoRestart;
    }
}
