package io.github.polardbopsalerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.polardbopsalerts.api.CredentialSource;
import io.github.polardbopsalerts.config.Settings;
import io.github.polardbopsalerts.poll.CycleReport;
import io.github.polardbopsalerts.state.AlertLedger;
import io.github.polardbopsalerts.state.SqliteAlertLedger;
import java.time.Clock;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/** Boots camel-main with the routes and beans for one validated configuration. */
public final class AlertsRuntime implements AutoCloseable {

    private final Main main;
    private final boolean daemon;
    private final AlertLedger ledger;

    /** Opens the state first: a state that cannot be used stops everything before a request is made. */
    public AlertsRuntime(Settings settings, CredentialSource credentials, Clock clock, boolean daemon) {
        this.daemon = daemon;
        ObjectMapper mapper = new ObjectMapper();
        this.ledger = SqliteAlertLedger.open(settings.stateDir(), mapper);
        try {
            this.main = new Main(AlertsRuntime.class);
            main.setDefaultPropertyPlaceholderLocation("false");
            main.setOverrideProperties(camelProperties(settings, daemon));
            new AppBeans(settings, credentials, ledger, clock, mapper).bindTo(main::bind);
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
    }

    /** Our keys for the routes' placeholders, plus the figures Camel wants in its own units. */
    static Properties camelProperties(Settings settings, boolean daemon) {
        Properties p = settings.toProperties();
        p.setProperty("app.daemon", Boolean.toString(daemon));
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
        return p;
    }

    public void start() throws Exception {
        main.start();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Runs one poll cycle over every region and page, delivers, and returns what happened. */
    public CycleReport runCycle() {
        return context().createFluentProducerTemplate().to("direct:poll-cycle").request(CycleReport.class);
    }

    /** Daemon mode: blocks until SIGTERM or SIGINT, then lets Camel finish in-flight work and stop. */
    public void runUntilStopped() throws Exception {
        if (!daemon) {
            throw new IllegalStateException("not started as a daemon");
        }
        main.run();
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
