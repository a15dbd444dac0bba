package io.github.polardbopsalerts.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.api.Exchanges;
import io.github.polardbopsalerts.poll.CycleReport;
import io.github.polardbopsalerts.state.AlertLedger;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each sink the alerts still pending for it and records what became of each: delivered once the sink
 * confirmed it, failed (tried again next cycle), or dead-lettered under state.dir/dead-letter/.
 */
public final class Deliveries {

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    private final AlertLedger ledger;
    private final List<String> sinks;
    private final Path deadLetterDir;
    private final Clock clock;
    private final ObjectMapper mapper;

    private final io.github.polardbopsalerts.sink.webhook.Webhooks webhooks;
    private final io.github.polardbopsalerts.ops.AlertMetrics metrics;
    /** False for --send-test: a refused test alert is reported, not written beside a running daemon's. */
    private final boolean writeDeadLetters;

    public Deliveries(AlertLedger ledger, List<String> sinks, Path stateDir, Clock clock, ObjectMapper mapper,
            io.github.polardbopsalerts.sink.webhook.Webhooks webhooks,
            io.github.polardbopsalerts.ops.AlertMetrics metrics, boolean writeDeadLetters) {
        this.writeDeadLetters = writeDeadLetters;
        this.webhooks = webhooks;
        this.metrics = metrics;
        this.ledger = ledger;
        this.sinks = List.copyOf(sinks);
        this.deadLetterDir = stateDir.resolve("dead-letter");
        this.clock = clock;
        this.mapper = mapper;
    }

    /** The enabled sinks, each of which gets its own delivery run. */
    public List<String> sinks() {
        return sinks;
    }

    /**
     * The alerts pending for the sink named in the body, oldest first, until one of them fails its
     * retries; sets the sink property.
     */
    public Iterator<?> pending(Exchange exchange) {
        String sink = exchange.getMessage().getBody(String.class);
        exchange.setProperty(Exchanges.SINK, sink);
        exchange.setProperty(Exchanges.SINK_ROUTE, route(sink));
        Iterator<?> all = JsonLinesAlertLog.SINK.equals(sink) ? grouped(planned(sink), JsonLinesAlertLog.GROUP)
                : planned(sink);
        CycleReport.SinkReport report = cycle(exchange).map(c -> c.sink(sink)).orElse(null);
        if (report == null) {
            return all;
        }
        return new Iterator<Object>() {
            @Override
            public boolean hasNext() {
                return !report.unavailable() && all.hasNext();
            }

            @Override
            public Object next() {
                return all.next();
            }
        };
    }

    /** Alerts in groups of up to {@code size}, as they come, for a sink that takes a group in one write. */
    static Iterator<AlertBatch> grouped(Iterator<?> alerts, int size) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return alerts.hasNext();
            }

            @Override
            public AlertBatch next() {
                List<ObjectNode> group = new java.util.ArrayList<>(size);
                while (group.size() < size && alerts.hasNext()) {
                    group.add((ObjectNode) alerts.next());
                }
                if (group.isEmpty()) {
                    throw new java.util.NoSuchElementException();
                }
                return new AlertBatch(group, 1, 1);
            }
        };
    }

    /** The route kind of a sink: "webhook.oncall" is delivered by direct:deliver-webhook. */
    public static String route(String sink) {
        return sink.contains(".") ? sink.substring(0, sink.indexOf('.')) : sink;
    }

    /** A sink's pending alerts as the messages it takes: one each, or a webhook's digests. */
    public Iterator<?> planned(String sink) {
        return webhooks.handles(sink) ? webhooks.plan(sink, ledger.pending(sink)) : ledger.pending(sink);
    }

    /** Counts, per sink, the alerts still pending after this cycle's delivery. */
    public void tally(Exchange exchange) {
        cycle(exchange).ifPresent(c -> sinks.forEach(sink -> c.sink(sink).pending(ledger.pendingCount(sink))));
    }

    /** Keeps the alert (or digest) in the body, and its id, for logs and for the steps that settle it. */
    public void take(Exchange exchange) {
        Object item = exchange.getMessage().getBody();
        exchange.setProperty(Exchanges.ALERT, item);
        exchange.setProperty(Exchanges.ALERT_ID, item instanceof AlertBatch b ? b.label()
                : ((ObjectNode) item).path("alertId").asText());
    }

    /** The sink confirmed the alert (every alert of a digest): it counts as sent there from now on. */
    public void confirm(Exchange exchange) {
        String sink = exchange.getProperty(Exchanges.SINK, String.class);
        List<ObjectNode> alerts = alerts(exchange);
        ledger.delivered(alerts.stream().map(a -> a.path("alertId").asText()).toList(), sink, clock.instant());
        for (ObjectNode alert : alerts) {
            metrics.alert(alert.path("kind").asText(), sink, "delivered");
            cycle(exchange).ifPresent(c -> c.sink(sink).recordDelivered());
        }
    }

    /** A digest never looks left alone after a failure; its alerts stay pending together. */
    private static List<ObjectNode> alerts(Exchange exchange) {
        return AlertBatch.alertsIn(exchange.getProperty(Exchanges.ALERT));
    }

    /**
     * The sink could not take the alert after its retries: it stays pending, and so do the sink's other
     * alerts, until the next cycle.
     */
    public void failed(Exchange exchange) {
        String sink = exchange.getProperty(Exchanges.SINK, String.class);
        int n = alerts(exchange).size();
        alerts(exchange).forEach(a -> metrics.alert(a.path("kind").asText(), sink, "failed"));
        String error = Failures.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        cycle(exchange).ifPresent(c -> {
            c.sink(sink).lastError(error);
            for (int i = 0; i < n; i++) {
                c.sink(sink).recordFailed();
            }
            c.sink(sink).markUnavailable();
        });
    }

    /** The sink refused the alert for good: it is written to the dead-letter file and not tried again. */
    public void deadLetter(Exchange exchange) throws IOException {
        String sink = exchange.getProperty(Exchanges.SINK, String.class);
        String alertId = exchange.getProperty(Exchanges.ALERT_ID, String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = Failures.describe(cause);
        Instant now = clock.instant();
        Object rendered = exchange.getMessage().getBody();
        String message = null;
        if (rendered instanceof jakarta.mail.internet.MimeMessage mime) {
            message = rendered(mime);
        }
        Path file = deadLetterFile(sink);
        cycle(exchange).ifPresent(c -> c.sink(sink).lastError(reason));
        for (ObjectNode alert : alerts(exchange)) {
            ObjectNode entry = mapper.createObjectNode();
            entry.put("at", now.toString());
            entry.put("sink", sink);
            entry.put("alertId", alert.path("alertId").asText());
            entry.put("reason", reason);
            entry.set("alert", alert);
            if (message != null) {
                entry.put("message", message);
            }
            if (writeDeadLetters) {
                AtomicFiles.append(file, (mapper.writeValueAsString(entry) + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            ledger.deadLettered(alert.path("alertId").asText(), sink, reason, now);
            metrics.alert(alert.path("kind").asText(), sink, "dead_letter");
            cycle(exchange).ifPresent(c -> c.sink(sink).recordFailed());
        }
        LOG.error("sink {} refused alert {} for good: {}; written to {}", sink, alertId, reason, file);
    }

    private static String rendered(jakarta.mail.internet.MimeMessage mime) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            mime.writeTo(out);
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "(could not be written: " + e + ")";
        }
    }

    public Path deadLetterFile(String sink) {
        return deadLetterDir.resolve(sink.replaceAll("[^A-Za-z0-9._-]", "_") + ".jsonl");
    }

    private static java.util.Optional<CycleReport> cycle(Exchange exchange) {
        return java.util.Optional.ofNullable(exchange.getProperty(Exchanges.CYCLE, CycleReport.class));
    }
}
