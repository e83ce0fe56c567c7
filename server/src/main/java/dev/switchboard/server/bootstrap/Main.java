package dev.switchboard.server.bootstrap;

import ch.qos.logback.classic.LoggerContext;
import dev.switchboard.server.accounts.AccountsFile;
import dev.switchboard.server.accounts.AccountsPersistence;
import dev.switchboard.server.accounts.PasswordHasher;
import dev.switchboard.server.dispatch.DispatchOptions;
import dev.switchboard.server.http.AccessPolicy;
import dev.switchboard.server.logging.LogFormat;
import dev.switchboard.server.logging.LogOutput;
import dev.switchboard.server.logging.LogSetup;
import dev.switchboard.server.store.DataDirectoryLock;
import dev.switchboard.server.store.DataDirectoryLockedException;
import dev.switchboard.server.store.StoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import sun.misc.Signal;

/**
 * The command line: parses options, starts the server, and stops it cleanly on SIGTERM or SIGINT (exit 0); its
 * subcommand {@code import-swarmui} imports a SwarmUI installation's backends instead, and {@code user} manages the
 * accounts of a data directory no server uses.
 */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = "Manages image-generation backends (ComfyUI and others) through SwarmUI's BackendAPI.")
public final class Main implements Callable<Integer> {
    /** Set by bin/switchboard to the distribution's folder, so plugins are found from any working directory. */
    static final String HOME_PROPERTY = "switchboard.home";

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7801", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "data", description = "Folder for backends.json and backups (default: data/ under the current directory).")
    Path dataDirectory;

    @Option(names = "--plugins-dir", description = "Folder to load plugins from (default: the distribution's plugins/).")
    Path pluginsDirectory;

    @Option(names = "--lock-settings", description = "Refuse every request that changes backends.")
    boolean lockSettings;

    @Option(names = "--start-timeout-minutes", defaultValue = "10", description = "How long a backend that launches its engine may take to become ready (default: ${DEFAULT-VALUE}).")
    long startTimeoutMinutes;

    @Option(names = "--max-request-bytes", defaultValue = "8388608", description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
    long maxRequestBytes;

    @Option(names = "--queue-timeout-minutes", defaultValue = "10080", description = "How long a generation may wait for a free backend before it fails (default: ${DEFAULT-VALUE}, a week, as SwarmUI).")
    long queueTimeoutMinutes;

    @Option(names = "--job-timeout-minutes", defaultValue = "120", description = "How long one generation job may run on a backend (default: ${DEFAULT-VALUE}).")
    long jobTimeoutMinutes;

    @Option(names = "--max-queued-per-session", defaultValue = "10000", description = "Most generations one session may have waiting (default: ${DEFAULT-VALUE}).")
    int maxQueuedPerSession;

    @Option(names = "--max-queued", defaultValue = "100000", description = "Most generations waiting in all (default: ${DEFAULT-VALUE}).")
    int maxQueued;

    // No picocli default value: picocli would expand ${...} and $$ inside it (see RequiredAuthorization).
    @Option(names = "--required-authorization",
            description = "Every request must carry exactly this Authorization header, else 401 (default: the"
                    + " environment variable SWITCHBOARD_REQUIRED_AUTHORIZATION, taken literally, which keeps it"
                    + " out of ps).")
    String requiredAuthorization;

    @Option(names = "--allow-unauthenticated",
            description = "Allow listening on a non-loopback address without --required-authorization.")
    boolean allowUnauthenticated;

    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = "Also accept requests whose Host header names this host (repeatable; loopback names and"
                    + " the --host address are always accepted).")
    List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--allowed-origin", paramLabel = "ORIGIN",
            description = "Also accept POSTs from this Origin, e.g. http://tools.lan:8080 (repeatable).")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--cors-origin", paramLabel = "ORIGIN",
            description = "Send Access-Control-Allow-Origin for this origin and answer CORS preflights (default: no"
                    + " CORS headers).")
    String corsOrigin;

    @Option(names = "--log-format", defaultValue = "text", paramLabel = "text|json",
            description = "text: one line per event; json: one JSON object per line with time, level, logger, thread,"
                    + " backend_id (events of a backend), message and stack_trace (default: ${DEFAULT-VALUE}).")
    LogFormat logFormat;

    @Option(names = "--log-file", paramLabel = "PATH",
            description = "Log to this file instead of standard error; at 10 MiB it becomes PATH.1 (older ones"
                    + " PATH.2 ... PATH.5, the oldest dropped).")
    Path logFile;

    private final PrintStream out;

    Main(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        CommonPoolSize.atLeastTwo();
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(commandLine(System.out, System.err, () -> {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
                LogSetup.warningsOnly(logback);
            }
        }).execute(args));
    }

    /**
     * The command line with its subcommands, printing to {@code out} and {@code err}.
     *
     * @param beforeImport what {@code import-swarmui} and {@code user} run first (main lowers the log to warnings)
     */
    static CommandLine commandLine(PrintStream out, PrintStream err, Runnable beforeImport) {
        return commandLine(out, err, new PasswordInput(System.in, () -> Optional.ofNullable(System.console())),
                new PasswordHasher(), beforeImport);
    }

    /**
     * The command line as {@link #commandLine(PrintStream, PrintStream, Runnable)}, with where {@code user}'s
     * passwords come from and how they are hashed (tests use a small cost).
     */
    static CommandLine commandLine(PrintStream out, PrintStream err, PasswordInput passwords, PasswordHasher hasher,
                                   Runnable beforeImport) {
        CommandLine commandLine = new CommandLine(new Main(out));
        commandLine.addSubcommand("import-swarmui", new ImportSwarmUiCommand(out, err, beforeImport));
        commandLine.addSubcommand("user", UserCommand.commandLine(out, err, passwords, hasher, Clock.systemUTC(),
                beforeImport));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine;
    }

    /**
     * Whether the users file turns accounts on, read under the data directory's lock (loading tidies a crashed
     * save's leftovers, which only the lock's holder may do). A damaged file keeps accounts on (fail closed); a
     * missing data directory (a first start) or one that cannot be used has none. When another server holds the
     * lock this answers true: the start then fails on the lock with its own message.
     */
    private static boolean accountsOn(Path dataDirectory) {
        if (!Files.isDirectory(dataDirectory)) {
            return false;
        }
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dataDirectory)) {
            AccountsPersistence.Loaded users = new AccountsFile(dataDirectory).load();
            return users.problem().isPresent() || !users.state().users().isEmpty();
        } catch (DataDirectoryLockedException e) {
            return true;
        } catch (StoreException e) {
            return false;
        }
    }

    @Override
    public Integer call() {
        ServerOptions options;
        LogOutput logOutput;
        try {
            logOutput = LogOutput.of(logFormat, Optional.ofNullable(logFile));
            AccessPolicy access = new AccessPolicy(RequiredAuthorization.resolve(requiredAuthorization, System.getenv()),
                    Set.copyOf(allowedHosts), Set.copyOf(allowedOrigins), Optional.ofNullable(corsOrigin));
            if (queueTimeoutMinutes < 1 || jobTimeoutMinutes < 1) {
                throw new IllegalArgumentException("--queue-timeout-minutes and --job-timeout-minutes must be at least 1");
            }
            DispatchOptions dispatch = new DispatchOptions(maxQueuedPerSession, maxQueued,
                    Duration.ofMinutes(queueTimeoutMinutes), Duration.ofMinutes(jobTimeoutMinutes));
            options = new ServerOptions(host, port, dataDirectory, pluginsDirectory(pluginsDirectory), lockSettings,
                    maxRequestBytes, Duration.ofMinutes(startTimeoutMinutes), access, dispatch);
        } catch (IllegalArgumentException e) {
            System.err.println("switchboard: " + e.getMessage());
            return 2;
        }
        Optional<String> refusal = ExposureCheck.refusal(host, options.access().requiresAuthorization()
                || accountsOn(options.dataDirectory()), allowUnauthenticated);
        if (refusal.isPresent()) {
            System.err.println("switchboard: " + refusal.get());
            return 2;
        }
        if (!logOutput.isDefault() && LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            try {
                LogSetup.apply(logback, logOutput);
            } catch (IOException e) {
                System.err.println("switchboard: " + e.getMessage());
                return 2;
            }
        }
        out.println("Data directory: " + options.dataDirectory());
        out.println("Plugins directory: " + options.pluginsDirectory());
        logOutput.file().ifPresent(file -> out.println("Log file: " + file.toAbsolutePath().normalize()));
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        SwitchboardServer server;
        try {
            server = SwitchboardServer.start(options);
        } catch (StartupException e) {
            System.err.println("Switchboard could not start: " + e.getMessage());
            return 1;
        }
        // Other ways of ending the JVM (SIGHUP, System.exit elsewhere) still stop backends cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "switchboard-shutdown"));
        out.println("Switchboard listening on " + server.url());
        out.flush();
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println("Switchboard stopping");
        server.close();
        out.println("Switchboard stopped");
        out.flush();
        return 0;
    }

    /** The plugins directory given, else the distribution's {@code plugins/} (else {@code plugins/} here). */
    static Path pluginsDirectory(Path given) {
        if (given != null) {
            return given;
        }
        String home = System.getProperty(HOME_PROPERTY);
        return home == null ? Path.of("plugins") : Path.of(home, "plugins");
    }

    /** Reports the server version for {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Switchboard " + ServerVersion.read()};
        }
    }
}
