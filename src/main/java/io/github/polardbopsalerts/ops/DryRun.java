package io.github.polardbopsalerts.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.config.Urls;
import io.github.polardbopsalerts.sink.AlertBatch;
import io.github.polardbopsalerts.sink.Deliveries;
import io.github.polardbopsalerts.sink.mail.MailMessages;
import io.github.polardbopsalerts.sink.webhook.Webhooks;
import io.github.polardbopsalerts.state.AlertLedger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * --dry-run: every message that would go out this cycle, rendered exactly as each sink would send it and
 * printed to standard output; nothing is delivered, and the real state is never written.
 */
public final class DryRun {

    private static final Logger LOG = LoggerFactory.getLogger(DryRun.class);

    private final AlertLedger ledger;
    private final Deliveries deliveries;
    private final List<String> sinks;
    private final MailMessages mail;
    private final Webhooks webhooks;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final PrintStream out;

    public DryRun(AlertLedger ledger, Deliveries deliveries, List<String> sinks, MailMessages mail, Webhooks webhooks,
            ObjectMapper mapper, Clock clock, PrintStream out) {
        this.ledger = ledger;
        this.deliveries = deliveries;
        this.sinks = List.copyOf(sinks);
        this.mail = mail;
        this.webhooks = webhooks;
        this.mapper = mapper;
        this.clock = clock;
        this.out = out;
    }

    /** Prints what each sink would be sent, and marks it done in the in-memory ledger only. */
    public synchronized void print() throws Exception {
        for (String sink : sinks) {
            int n = 0;
            Iterator<?> items = deliveries.planned(sink);
            while (items.hasNext()) {
                Object item = items.next();
                n++;
                out.println("=== " + sink + " message " + n + " (dry run, not sent)");
                if (webhooks.handles(sink)) {
                    Webhooks.Request r = webhooks.request(sink, item, clock.millis());
                    out.println("POST " + Urls.redact(r.url()));
                    r.headers().forEach((k, v) -> out.println(k + ": " + v));
                    out.println();
                    out.println(new String(r.body(), StandardCharsets.UTF_8));
                } else if ("mail".equals(sink)) {
                    mail.render((ObjectNode) item).writeTo(out);
                    out.println();
                } else {
                    out.println(mapper.writeValueAsString(item));
                }
                for (ObjectNode a : AlertBatch.alertsIn(item)) {
                    ledger.delivered(a.path("alertId").asText(), sink, clock.instant());
                }
            }
            LOG.info("dry run: {} message(s) rendered for sink {}, nothing delivered", n, sink);
        }
        out.flush();
    }
}
