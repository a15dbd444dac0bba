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

    public Deliveries(AlertLedger ledger, List<String> sinks, Path stateDir, Clock clock, ObjectMapper mapper) {
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
    public Iterator<ObjectNode> pending(Exchange exchange) {
        String sink = exchange.getMessage().getBody(String.class);
        exchange.setProperty(Exchanges.SINK, sink);
        Iterator<ObjectNode> all = ledger.pending(sink);
        CycleReport.SinkReport report = cycle(exchange).map(c -> c.sink(sink)).orElse(null);
        if (report == null) {
            return all;
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !report.unavailable() && all.hasNext();
            }

            @Override
            public ObjectNode next() {
                return all.next();
            }
        };
    }

    /** Counts, per sink, the alerts still pending after this cycle's delivery. */
    public void tally(Exchange exchange) {
        cycle(exchange).ifPresent(c -> sinks.forEach(sink -> c.sink(sink).pending(ledger.pendingCount(sink))));
    }

    /** Keeps the alert in the body, and its id, for logs and for the steps that settle it. */
    public void take(Exchange exchange) {
        ObjectNode alert = exchange.getMessage().getBody(ObjectNode.class);
        exchange.setProperty(Exchanges.ALERT, alert);
        exchange.setProperty(Exchanges.ALERT_ID, alert.path("alertId").asText());
    }

    /** The sink confirmed the alert: it counts as sent there from now on. */
    public void confirm(Exchange exchange) {
        String sink = exchange.getProperty(Exchanges.SINK, String.class);
        ledger.delivered(exchange.getProperty(Exchanges.ALERT_ID, String.class), sink, clock.instant());
        cycle(exchange).ifPresent(c -> c.sink(sink).recordDelivered());
    }

    /**
     * The sink could not take the alert after its retries: it stays pending, and so do the sink's other
     * alerts, until the next cycle.
     */
    public void failed(Exchange exchange) {
        String sink = exchange.getProperty(Exchanges.SINK, String.class);
        cycle(exchange).ifPresent(c -> {
            c.sink(sink).recordFailed();
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
        ObjectNode entry = mapper.createObjectNode();
        entry.put("at", now.toString());
        entry.put("sink", sink);
        entry.put("alertId", alertId);
        entry.put("reason", reason);
        entry.set("alert", exchange.getProperty(Exchanges.ALERT, ObjectNode.class));
        Object rendered = exchange.getMessage().getBody();
        if (rendered instanceof jakarta.mail.internet.MimeMessage mime) {
            entry.put("message", rendered(mime));
        } else if (rendered instanceof String || rendered instanceof byte[]) {
            entry.put("message", exchange.getMessage().getBody(String.class));
        }
        Path file = deadLetterFile(sink);
        AtomicFiles.append(file, (mapper.writeValueAsString(entry) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ledger.deadLettered(alertId, sink, reason, now);
        LOG.error("sink {} refused alert {} for good: {}; written to {}", sink, alertId, reason, file);
        cycle(exchange).ifPresent(c -> c.sink(sink).recordFailed());
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
