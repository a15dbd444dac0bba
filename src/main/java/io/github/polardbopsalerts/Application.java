package io.github.polardbopsalerts;

import io.github.polardbopsalerts.api.AlibabaCredentialChain;
import io.github.polardbopsalerts.api.CredentialSource;
import io.github.polardbopsalerts.config.ConfigException;
import io.github.polardbopsalerts.config.Settings;
import io.github.polardbopsalerts.poll.CycleReport;
import io.github.polardbopsalerts.simulator.Demo;
import io.github.polardbopsalerts.state.StateException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The command line: parses options, loads and checks the configuration, runs the chosen mode. */
public final class Application {

    static final String USAGE = """
            usage: java -jar polardb-ops-alerts.jar [options]

              (no option)      daemon: a poll cycle every poll.interval until SIGTERM; health and
                               metrics on camel.management.port (/observe/health, /observe/metrics)
              --once           one poll cycle over every region and page, deliver, exit
              --dry-run        poll and print every message exactly as it would go out; deliver and
                               record nothing (with --once: one cycle, then exit)
              --archive-now    take one archive snapshot of every task of every region now, exit
                               (1 if a region could not be read: the snapshot says complete false)
              --send-test      send a sample alert of kind "test" to every enabled sink, a line per
                               sink with its result, exit (1 if any failed)
              --demo           run against the built-in PolarDB API simulator with generated tasks;
                               no credentials or network needed (combines with --once)
              --check-config   validate the configuration, print the effective settings with their
                               sources and secrets masked, exit
              --config FILE    read FILE on top of the built-in defaults and ./application.properties
              --help           this text

            exit codes: 0 done; 1 a poll or a delivery failed after its retries; 2 configuration error
            configuration: application.properties keys, overridden by environment variables
            (polardb.page-size is POLARDB_PAGE_SIZE) and -Dkey=value; credentials from Alibaba Cloud's
            default chain (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET,
            ALIBABA_CLOUD_SECURITY_TOKEN, credentials file, ECS RAM role, OIDC role)
            """;

    private Application() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.getProperties(), Path.of(""), System.out, System.err);
        System.exit(code);
    }

    /** Everything main does but exiting, so tests can call it. */
    static int run(String[] args, Map<String, String> env, Properties system, Path workingDir, PrintStream out,
            PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("polardb-ops-alerts: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (options.help()) {
            out.print(USAGE);
            return 0;
        }
        Settings settings;
        try {
            settings = Settings.load(workingDir, options.configFile(), env, system);
        } catch (ConfigException e) {
            return configError(err, e.problems());
        }
        List<String> problems = settings.problems();
        if (options.checkConfig()) {
            out.print(settings.describeAll());
            if (!problems.isEmpty()) {
                return configError(err, problems);
            }
            out.println("configuration ok");
            return 0;
        }
        if (!problems.isEmpty()) {
            return configError(err, problems);
        }
        Logging.configure(settings.get("logging.format"));
        err = closingMessages(settings, err);
        try (Demo demo = options.demo() ? Demo.start(settings) : null) {
            CredentialSource credentials;
            if (demo != null) {
                settings = demo.settings();
                credentials = CredentialSource.fixed(demo.credential());
            } else {
                try {
                    credentials = AlibabaCredentialChain.resolve();
                } catch (AlibabaCredentialChain.CredentialsUnavailableException e) {
                    err.println("polardb-ops-alerts: configuration error: " + e.getMessage());
                    return 2;
                }
            }
            if (options.sendTest()) {
                return sendTest(settings, credentials, out);
            }
            if (options.archiveNow()) {
                return archiveNow(settings, credentials, out, err);
            }
            if (options.dryRun()) {
                return options.once() ? once(settings, credentials, err, RunMode.DRY_RUN_ONCE)
                        : daemon(settings, credentials, RunMode.DRY_RUN_DAEMON);
            }
            return options.once() ? once(settings, credentials, err, RunMode.ONCE)
                    : daemon(settings, credentials, RunMode.DAEMON);
        } catch (ConfigException e) {
            return configError(err, e.problems());
        } catch (StateException e) {
            err.println("polardb-ops-alerts: state error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("polardb-ops-alerts: failed: " + e);
            return 1;
        }
    }

    private static int sendTest(Settings settings, CredentialSource credentials, PrintStream out) throws Exception {
        List<String> sinks = settings.enabledSinks();
        if (sinks.isEmpty()) {
            out.println("no sink is enabled");
            return 1;
        }
        Map<String, String> results;
        try (AlertsRuntime runtime = new AlertsRuntime(settings, credentials, Clock.systemUTC(), RunMode.SEND_TEST)) {
            runtime.start();
            results = runtime.sendTest();
        }
        results.forEach((sink, result) -> out.println(sink + ": " + result));
        return results.values().stream().allMatch("ok"::equals) ? 0 : 1;
    }

    private static int archiveNow(Settings settings, CredentialSource credentials, PrintStream out, PrintStream err)
            throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode manifest;
        try (AlertsRuntime runtime = new AlertsRuntime(settings, credentials, Clock.systemUTC(), RunMode.ARCHIVE_NOW)) {
            runtime.start();
            manifest = runtime.archiveNow();
        }
        manifest.path("regions").fields().forEachRemaining(e -> {
            if (!e.getValue().path("error").isNull()) {
                com.fasterxml.jackson.databind.JsonNode error = e.getValue().path("error");
                err.println("polardb-ops-alerts: region " + e.getKey() + " failed: "
                        + (error.hasNonNull("code") ? error.get("code").asText() + ": " : "")
                        + error.path("message").asText()
                        + (error.hasNonNull("requestId") ? " (RequestId " + error.get("requestId").asText() + ")" : ""));
            }
        });
        boolean complete = manifest.path("complete").asBoolean();
        out.println("archive: " + manifest.path("taskCount").asLong() + " tasks in "
                + settings.archiveDir().resolve(manifest.path("dataPath").asText()) + " (" + (complete ? "complete"
                        : "INCOMPLETE") + "), sha256 " + manifest.path("sha256").asText());
        return complete ? 0 : 1;
    }

    private static int once(Settings settings, CredentialSource credentials, PrintStream err, RunMode mode)
            throws Exception {
        CycleReport report;
        try (AlertsRuntime runtime = new AlertsRuntime(settings, credentials, Clock.systemUTC(), mode)) {
            runtime.start();
            report = runtime.runCycle();
        }
        report.regions().forEach((region, r) -> {
            if (r.error() != null) {
                err.println("polardb-ops-alerts: region " + region + " failed: " + r.error().describe());
            }
        });
        report.sinks().forEach((sink, s) -> {
            if (s.failed() > 0) {
                err.println("polardb-ops-alerts: sink " + sink + " failed to take " + s.failed() + " alert(s)");
            }
        });
        return report.ok() ? 0 : 1;
    }

    private static int daemon(Settings settings, CredentialSource credentials, RunMode mode) throws Exception {
        try (AlertsRuntime runtime = new AlertsRuntime(settings, credentials, Clock.systemUTC(), mode)) {
            runtime.runUntilStopped();
        }
        return 0;
    }

    /**
     * Where the run's closing messages go: stderr as plain lines, or with logging.format=json ERROR events of the
     * same JSON logging, so a log shipper that reads JSON lines does not meet a plain line among them.
     */
    private static PrintStream closingMessages(Settings settings, PrintStream err) {
        if (!"json".equals(settings.get("logging.format"))) {
            return err;
        }
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Application.class);
        String prefix = "polardb-ops-alerts: ";
        return new PrintStream(java.io.OutputStream.nullOutputStream()) {
            @Override
            public void println(String line) {
                log.error(line.startsWith(prefix) ? line.substring(prefix.length()) : line.strip());
            }
        };
    }

    private static int configError(PrintStream err, List<String> problems) {
        err.println("polardb-ops-alerts: configuration error:");
        problems.forEach(p -> err.println("  " + p));
        return 2;
    }

    /** The parsed command line. */
    record Options(boolean once, boolean demo, boolean checkConfig, boolean help, boolean sendTest, boolean dryRun,
            boolean archiveNow, Path configFile) {

        static Options parse(String[] args) {
            boolean once = false;
            boolean demo = false;
            boolean check = false;
            boolean help = false;
            boolean sendTest = false;
            boolean dryRun = false;
            boolean archiveNow = false;
            Path config = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--once" -> once = true;
                    case "--demo" -> demo = true;
                    case "--check-config" -> check = true;
                    case "--help", "-h" -> help = true;
                    case "--config" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--config needs a FILE");
                        }
                        config = Path.of(args[++i]);
                    }
                    case "--send-test" -> sendTest = true;
                    case "--dry-run" -> dryRun = true;
                    case "--archive-now" -> archiveNow = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if ((sendTest ? 1 : 0) + (archiveNow ? 1 : 0) + (dryRun || once ? 1 : 0) > 1) {
                throw new IllegalArgumentException("--send-test, --archive-now and --once/--dry-run are separate runs");
            }
            return new Options(once, demo, check, help, sendTest, dryRun, archiveNow, config);
        }
    }
}
