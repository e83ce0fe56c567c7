package dev.switchboard.server.importer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.logging.LogRedaction;
import dev.switchboard.server.plugins.ApiVersion;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.plugins.PluginHost;
import dev.switchboard.server.secrets.Redactor;
import dev.switchboard.server.store.BackendStore;
import dev.switchboard.server.store.DataDirectoryLockedException;
import dev.switchboard.server.store.StoreException;
import dev.switchboard.server.store.StoredState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code switchboard import-swarmui}: adds the backends of a SwarmUI installation to a data directory, with their
 * ids, titles, enabled flags and settings (secrets included, kept in {@code backends.json} like every secret).
 * Everything is checked first and written at once, durably, through the {@link BackendStore} (which holds the data
 * directory's lock, so no server may run on it meanwhile); any problem writes nothing.
 */
public final class SwarmUiImport {
    /** Exit status: imported (or, in a dry run, would be). */
    public static final int IMPORTED = 0;
    /** Exit status: refused or failed; nothing was written. */
    public static final int REFUSED = 1;
    /** How long a plugin's check of one backend's settings may take, as for EditBackend. */
    private static final Duration VALIDATE_DEADLINE = Duration.ofSeconds(10);
    private static final String PREFIX = "switchboard import-swarmui: ";

    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param out where the report goes
     * @param err where problems go
     */
    public SwarmUiImport(PrintStream out, PrintStream err) {
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
    }

    /**
     * What to import, and where.
     *
     * @param swarmFile SwarmUI's {@code Backends.fds}, or its data folder
     * @param dataDirectory the server's data directory
     * @param pluginsDirectory the plugins whose types convert the settings
     * @param replace overwrite backends whose ids are taken, instead of refusing the import
     * @param dryRun print what would be done, write nothing
     */
    public record Request(Path swarmFile, Path dataDirectory, Path pluginsDirectory, boolean replace, boolean dryRun) {
        public Request {
            requireNonNull(swarmFile, "swarmFile is null");
            dataDirectory = dataDirectory.toAbsolutePath().normalize();
            pluginsDirectory = pluginsDirectory.toAbsolutePath().normalize();
        }
    }

    /** Runs an import; returns {@link #IMPORTED} or {@link #REFUSED}. */
    public int run(Request request) {
        Path source;
        try {
            source = SwarmBackendsFile.locate(request.swarmFile());
        } catch (NoSuchFileException e) {
            err.println(PREFIX + "cannot read " + request.swarmFile() + ": " + e.getMessage());
            return REFUSED;
        }
        SwarmBackendsFile file;
        try {
            file = SwarmBackendsFile.read(request.swarmFile(), source);
        } catch (FdsParseException e) {
            // Named by the file read, which the line is in (a folder may have been given, or ~2 read instead).
            err.println(PREFIX + source + ": " + e.getMessage() + "; nothing was imported");
            return REFUSED;
        } catch (IOException e) {
            err.println(PREFIX + "cannot read " + source + ": " + e.getMessage());
            return REFUSED;
        }
        if (file.backends().isEmpty()) {
            out.println(file.source() + " holds no backends: nothing to import.");
            return IMPORTED;
        }
        Redactor redactor = new Redactor();
        // A type's check of the settings may log: the secrets of the backend it checks are redacted there too.
        LogRedaction.Installed redaction = LogRedaction.install(redactor);
        try (PluginHost plugins = new PluginHost(request.pluginsDirectory(), ApiVersion.current());
             PluginCallRunner runner = new PluginCallRunner()) {
            plugins.start();
            ImportPlanner planner = new ImportPlanner(new BackendConverter(plugins.registry(), (type, settings) ->
                    runner.call(type.classLoader(), "Validating settings", VALIDATE_DEADLINE,
                            () -> type.type().validate(settings)), redactor));
            if (!Files.exists(request.dataDirectory())) {
                // Nothing to read, and neither a dry run nor a refusal may create the folder (as opening the store
                // would).
                ImportPlan plan = planner.plan(file, StoredState.empty(), request.replace());
                if (request.dryRun() || plan.refused()) {
                    return report(plan, request.dataDirectory().resolve("backends.json"), request);
                }
            }
            return importInto(planner, file, request);
        } finally {
            redaction.close();
        }
    }

    private int importInto(ImportPlanner planner, SwarmBackendsFile file, Request request) {
        try (BackendStore store = BackendStore.open(request.dataDirectory())) {
            if (store.problem().isPresent()) {
                err.println(PREFIX + store.problem().get());
                return REFUSED;
            }
            ImportPlan plan = planner.plan(file, store.state(), request.replace());
            int reported = report(plan, store.file(), request);
            if (reported != IMPORTED || request.dryRun()) {
                return reported;
            }
            store.update(plan::applyTo);
            out.println("Imported " + ImportReport.count(plan.backends().size()) + " into " + store.file()
                    + "; the next new backend gets id " + store.state().nextId() + ".");
            return IMPORTED;
        } catch (DataDirectoryLockedException e) {
            // The message names the server's pid and says to stop it (or to use another --data-dir).
            err.println(PREFIX + "nothing was imported: " + e.getMessage());
            return REFUSED;
        } catch (StoreException e) {
            err.println(PREFIX + "nothing was imported: " + e.getMessage());
            return REFUSED;
        }
    }

    /** Prints the plan, or only its problems when refused; returns whether it may be written. */
    private int report(ImportPlan plan, Path backendsJson, Request request) {
        if (plan.refused()) {
            // Not the plan: it would list as imported (and a taken id as new) what is not.
            plan.problems().forEach(problem -> err.println(PREFIX + plan.file().source() + ": " + problem));
            err.println(PREFIX + "nothing was imported (" + plan.problems().size()
                    + (plan.problems().size() == 1 ? " problem" : " problems") + ")");
            return REFUSED;
        }
        ImportReport.print(plan, backendsJson, request.dryRun(), out);
        if (request.dryRun()) {
            out.println("Dry run: nothing was written.");
        }
        return IMPORTED;
    }
}
