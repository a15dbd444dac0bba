package io.github.polardbopsalerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.polardbopsalerts.api.CredentialSource;
import io.github.polardbopsalerts.config.Settings;
import io.github.polardbopsalerts.poll.CycleReport;
import io.github.polardbopsalerts.state.AlertLedger;
import io.github.polardbopsalerts.ops.AlertMetrics;
import io.github.polardbopsalerts.ops.CycleHealth;
import io.github.polardbopsalerts.state.MemoryAlertLedger;
import io.github.polardbopsalerts.state.SqliteAlertLedger;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import java.time.Clock;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/** Boots camel-main with the routes and beans for one validated configuration and run mode. */
public final class AlertsRuntime implements AutoCloseable {

    private final Main main;
    private final RunMode mode;
    private final AlertLedger ledger;
    private final CycleHealth health;
    private final Settings settings;

    /** Opens the state first: a state that cannot be used stops everything before a request is made. */
    public AlertsRuntime(Settings settings, CredentialSource credentials, Clock clock, RunMode mode) {
        this.mode = mode;
        this.settings = settings;
        ObjectMapper mapper = new ObjectMapper();
        this.ledger = switch (mode) {
            case ONCE, DAEMON -> SqliteAlertLedger.open(settings.stateDir(), mapper);
            case DRY_RUN_ONCE, DRY_RUN_DAEMON -> new MemoryAlertLedger(SqliteAlertLedger.snapshot(settings.stateDir(), mapper));
            case SEND_TEST, ARCHIVE_NOW -> new MemoryAlertLedger(java.util.Map.of());
        };
        Duration interval = settings.pollInterval();
        this.health = new CycleHealth(clock, max(interval.multipliedBy(3), interval.plusMinutes(15)));
        try {
            // No main class: camel-main would scan its package for configuration classes, half a second at start.
            this.main = new Main();
            main.setDefaultPropertyPlaceholderLocation("false");
            main.setOverrideProperties(camelProperties(settings, mode));
            // Camel's Prometheus support takes the registry bound under this name, so our meters sit beside its own.
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            main.bind("metricsRegistry", registry);
            new AppBeans(settings, credentials, ledger, clock, mapper, new AlertMetrics(registry, clock), health, mode)
                    .bindTo(main::bind);
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterStart(BaseMainSupport m) {
                    registerHealthChecks(m.getCamelContext());
                    awaitState(m.getCamelContext());
                }
            });
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
    }

    private volatile RuntimeException startFailure;

    /** The state must be readable before the first cycle decides anything: otherwise stop, exit 2. */
    private void awaitState(CamelContext context) {
        try {
            context.getRegistry().lookupByNameAndType("alertTracker", io.github.polardbopsalerts.alert.AlertTracker.class)
                    .awaitLoaded();
        } catch (RuntimeException e) {
            startFailure = e;
            main.completed();
        }
    }

    private void registerHealthChecks(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            return;
        }
        for (HealthCheck check : java.util.List.of(health.readiness(), health.liveness())) {
            if (check instanceof org.apache.camel.CamelContextAware aware) {
                aware.setCamelContext(context);
            }
            registry.register(check);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Our keys for the routes' placeholders, plus the figures Camel wants in its own units. */
    static Properties camelProperties(Settings settings, RunMode mode) {
        Properties p = settings.toProperties();
        p.setProperty("app.daemon", Boolean.toString(mode.daemon));
        p.setProperty("app.archive-scheduled", Boolean.toString(mode.daemon && settings.archiveEnabled()));
        p.setProperty("app.archive-zone", settings.archiveTimeZone().getId());
        p.setProperty("app.deliver-uri", mode.dryRun() ? "direct:render-pending" : "direct:deliver-pending");
        // The management server (health, metrics) runs with the daemon; a one-shot run opens no port.
        String serve = Boolean.toString(mode.daemon);
        p.setProperty("camel.management.enabled", serve);
        p.setProperty("camel.management.health-check-enabled", serve);
        p.setProperty("camel.management.metrics-enabled", serve);
        p.setProperty("camel.health.enabled", "true");
        p.setProperty("camel.metrics.enabled", serve);
        p.setProperty("camel.metrics.binders", "jvm-memory,jvm-gc,jvm-thread,processor,uptime");
        p.setProperty("poll.interval-ms", Long.toString(settings.pollInterval().toMillis()));
        p.setProperty("polardb.retry.max-redeliveries", Integer.toString(settings.retryMaxAttempts() - 1));
        p.setProperty("polardb.retry.initial-delay-ms", Long.toString(settings.retryInitialDelay().toMillis()));
        p.setProperty("polardb.retry.max-delay-ms", Long.toString(settings.retryMaxDelay().toMillis()));
        p.setProperty("sink.retry.max-redeliveries", Integer.toString(settings.sinkRetryMaxAttempts() - 1));
        p.setProperty("sink.retry.initial-delay-ms", Long.toString(settings.sinkRetryInitialDelay().toMillis()));
        p.setProperty("sink.retry.max-delay-ms", Long.toString(settings.sinkRetryMaxDelay().toMillis()));
        String timeout = Long.toString(settings.timeout().toMillis());
        p.setProperty("camel.component.http.connect-timeout", timeout);
        p.setProperty("camel.component.http.connection-request-timeout", timeout);
        p.setProperty("camel.component.http.response-timeout", timeout);
        p.setProperty("camel.component.http.so-timeout", timeout);
        // Retries are ours (they sign anew); HttpClient resending a signed request would reuse its nonce.
        p.setProperty("camel.component.http.automatic-retries-disabled", "true");
        p.setProperty("camel.component.http.redirect-handling-disabled", "true");
        p.setProperty("camel.main.shutdown-timeout", "30");
        // No JMX: nothing reads it, and registering every route and processor slows the start.
        p.setProperty("camel.main.jmx-enabled", "false");
        return p;
    }

    public void start() throws Exception {
        main.start();
        awaitState(context());
        if (startFailure != null) {
            throw startFailure;
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Runs one poll cycle over every region and page, delivers, and returns what happened. */
    public CycleReport runCycle() {
        return context().createFluentProducerTemplate().to("direct:poll-cycle").request(CycleReport.class);
    }

    /** --archive-now: one snapshot of every task; returns its manifest. */
    public com.fasterxml.jackson.databind.node.ObjectNode archiveNow() {
        return context().createFluentProducerTemplate().to("direct:archive-snapshot")
                .request(com.fasterxml.jackson.databind.node.ObjectNode.class);
    }

    /** --send-test: the sample alert through every enabled sink; per sink "ok" or why not. */
    public java.util.Map<String, String> sendTest() {
        io.github.polardbopsalerts.sink.webhook.Webhooks webhooks = context().getRegistry()
                .lookupByNameAndType("webhooks", io.github.polardbopsalerts.sink.webhook.Webhooks.class);
        return io.github.polardbopsalerts.ops.SendTest.run(context(), settings.enabledSinks(), webhooks::chat,
                io.github.polardbopsalerts.ops.SendTest.sample(new ObjectMapper(), java.time.Instant.now()));
    }

    /** Daemon mode: blocks until SIGTERM or SIGINT, then lets Camel finish in-flight work and stop. */
    public void runUntilStopped() throws Exception {
        if (!mode.daemon) {
            throw new IllegalStateException("not started as a daemon");
        }
        // SIGTERM and SIGINT end the run like a finished job: Camel lets in-flight work complete (up to
        // camel.main.shutdown-timeout), then run() returns and the process exits 0, not 143.
        for (String name : java.util.List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> main.completed());
        }
        main.run();
        if (startFailure != null) {
            throw startFailure;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            main.stop();
        } finally {
            ledger.close();
        }
    }
}
