package dev.switchboard.server.bootstrap;

import dev.switchboard.server.importer.SwarmUiImport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code switchboard import-swarmui}: brings a SwarmUI installation's backends into a data directory. */
@Command(name = "import-swarmui", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = {"Adds the backends of SwarmUI's Backends.fds (ids, titles, enabled flags, settings and"
                + " secrets) to the data directory's backends.json. Run it while no server uses that data directory.",
                "Settings are converted by the installed plugins' types; backends of types no plugin provides are kept"
                + " verbatim (listed by ListPlugins) until one does. Nothing is written when anything is wrong."})
final class ImportSwarmUiCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BACKENDS_FDS",
            description = "SwarmUI's backends file, e.g. SwarmUI/Data/Backends.fds (or its Data folder); when it is"
                    + " missing, the Backends.fds~2 beside it is read, as SwarmUI does.")
    Path swarmFile;

    @Option(names = "--data-dir", defaultValue = "data", paramLabel = "DIR",
            description = "The server's data directory (default: data/ under the current directory).")
    Path dataDirectory;

    @Option(names = "--plugins-dir", paramLabel = "DIR",
            description = "Plugins whose backend types convert the settings (default: the distribution's plugins/).")
    Path pluginsDirectory;

    @Option(names = "--replace", description = "Overwrite backends whose ids are already used (default: refuse).")
    boolean replace;

    @Option(names = "--dry-run", description = "Print what would be imported; write nothing.")
    boolean dryRun;

    private final PrintStream out;
    private final PrintStream err;
    private final Runnable beforeImport;

    /**
     * @param beforeImport run first, e.g. to keep the log's lines about loading each plugin out of the report
     */
    ImportSwarmUiCommand(PrintStream out, PrintStream err, Runnable beforeImport) {
        this.out = out;
        this.err = err;
        this.beforeImport = beforeImport;
    }

    @Override
    public Integer call() {
        beforeImport.run();
        return new SwarmUiImport(out, err).run(new SwarmUiImport.Request(swarmFile, dataDirectory,
                Main.pluginsDirectory(pluginsDirectory), replace, dryRun));
    }
}
