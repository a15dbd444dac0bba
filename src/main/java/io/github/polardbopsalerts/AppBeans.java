package io.github.polardbopsalerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.polardbopsalerts.alert.AlertDocuments;
import io.github.polardbopsalerts.alert.AlertPlanner;
import io.github.polardbopsalerts.alert.AlertTracker;
import io.github.polardbopsalerts.alert.RequestView;
import io.github.polardbopsalerts.alert.UrgencyRule;
import io.github.polardbopsalerts.api.ApiGate;
import io.github.polardbopsalerts.api.ApiRequests;
import io.github.polardbopsalerts.api.CredentialSource;
import io.github.polardbopsalerts.api.PageReader;
import io.github.polardbopsalerts.archive.Archives;
import io.github.polardbopsalerts.config.ConfigException;
import io.github.polardbopsalerts.config.Durations;
import io.github.polardbopsalerts.ops.AlertMetrics;
import io.github.polardbopsalerts.ops.CycleHealth;
import io.github.polardbopsalerts.ops.DryRun;
import io.github.polardbopsalerts.sink.webhook.Webhooks;
import org.apache.camel.component.http.HttpComponent;
import io.github.polardbopsalerts.config.Settings;
import io.github.polardbopsalerts.sink.mail.MailMessages;
import io.github.polardbopsalerts.sink.mail.MailTemplates;
import io.github.polardbopsalerts.sink.mail.SmtpReplies;
import io.github.polardbopsalerts.sink.mail.SmtpSender;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import io.github.polardbopsalerts.poll.Cycles;
import io.github.polardbopsalerts.poll.Pager;
import io.github.polardbopsalerts.sink.Deliveries;
import io.github.polardbopsalerts.sink.AlertRouting;
import io.github.polardbopsalerts.sink.JsonLinesAlertLog;
import io.github.polardbopsalerts.sink.Texts;
import io.github.polardbopsalerts.state.AlertLedger;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/** Builds the beans the routes call, all from one validated {@link Settings}, and binds them by name. */
public final class AppBeans {

    private final Settings settings;
    private final CredentialSource credentials;
    private final AlertLedger ledger;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final AlertMetrics metrics;
    private final CycleHealth health;
    private final RunMode mode;

    public AppBeans(Settings settings, CredentialSource credentials, AlertLedger ledger, Clock clock,
            ObjectMapper mapper, AlertMetrics metrics, CycleHealth health, RunMode mode) {
        this.settings = settings;
        this.credentials = credentials;
        this.ledger = ledger;
        this.clock = clock;
        this.mapper = mapper;
        this.metrics = metrics;
        this.health = health;
        this.mode = mode;
    }

    public ApiRequests apiRequests() {
        return new ApiRequests(settings, credentials, clock);
    }

    public PageReader pageReader() {
        return new PageReader(mapper, metrics::apiAnswer);
    }

    public Pager pager() {
        return new Pager(settings.pageSize(), settings.maxConcurrency());
    }

    public Cycles cycles() {
        return new Cycles(settings, clock, mapper, mode.record, List.of(metrics, health));
    }

    public AlertTracker alertTracker() {
        AlertPlanner planner = new AlertPlanner(UrgencyRule.from(settings), settings.reminderStages(),
                new AlertDocuments(mapper), new RequestView(settings.requestFilters()));
        return new AlertTracker(ledger, planner, AlertRouting.from(settings), settings.stateRetention(), clock);
    }

    public Deliveries deliveries(Webhooks webhooks) {
        return new Deliveries(ledger, settings.enabledSinks(), settings.stateDir(), clock, mapper, webhooks,
                metrics, mode.record);
    }

    public Webhooks webhooks() {
        return new Webhooks(settings.webhooks(), mapper, settings.timeZone(), settings.consoleUrl(),
                settings.sinkRetryMaxDelay(), clock, Texts.of(settings.language()));
    }

    /** Its own HTTP component, so webhook timeouts are not the API's; never retried or redirected by itself. */
    public HttpComponent webhookHttp() {
        HttpComponent http = new HttpComponent();
        long timeout = Durations.parse(settings.get("sink.webhook.timeout")).toMillis();
        http.setConnectTimeout(timeout);
        http.setConnectionRequestTimeout(timeout);
        http.setResponseTimeout(timeout);
        http.setSoTimeout(timeout);
        http.setAutomaticRetriesDisabled(true);
        http.setRedirectHandlingDisabled(true);
        return http;
    }

    public JsonLinesAlertLog fileAlertLog() {
        return new JsonLinesAlertLog(settings.fileSinkDir(), clock, mapper);
    }

    /** Always built, so the mail route starts; it only gets alerts when sink.mail.enabled is true. */
    public MailMessages mailMessages() {
        try {
            List<InternetAddress> to = new ArrayList<>();
            for (String a : settings.mailTo()) {
                to.add(new InternetAddress(a, true));
            }
            return new MailMessages(new InternetAddress(settings.get("sink.mail.from"), true), to,
                    new MailTemplates(settings.mailTemplatesDir(), settings.language()), settings.timeZone(),
                    settings.consoleUrl(), clock, Texts.of(settings.language()));
        } catch (AddressException e) {
            throw new ConfigException("sink.mail: " + e.getMessage());
        }
    }

    /**
     * Threads for regions and for the pages of a wave; they mostly wait, since the ApiGate allows only
     * polardb.max-concurrency requests in flight.
     */
    ExecutorService pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds every bean under the name the routes use. */
    public void bindTo(BiConsumer<String, Object> registry) {
        registry.accept("apiRequests", apiRequests());
        registry.accept("pageReader", pageReader());
        registry.accept("pager", pager());
        registry.accept("cycles", cycles());
        registry.accept("alertTracker", alertTracker());
        Webhooks webhooks = webhooks();
        registry.accept("webhooks", webhooks);
        registry.accept("webhookhttp", webhookHttp());
        Deliveries deliveries = deliveries(webhooks);
        registry.accept("deliveries", deliveries);
        registry.accept("fileAlertLog", fileAlertLog());
        int regions = Math.max(1, Math.min(settings.regions().size(), 32));
        registry.accept("regionPool", pool("poll-region", 2 * regions));
        registry.accept("pagePool", pool("poll-page", Math.min(2 * regions * settings.maxConcurrency(), 256)));
        registry.accept("apiGate", new ApiGate(settings.maxConcurrency()));
        registry.accept("archives", new Archives(settings.archiveDir(), settings.regions(), settings.archiveRetention(),
                clock, mapper));
        MailMessages mail = mailMessages();
        registry.accept("mailMessages", mail);
        registry.accept("dryRun", new DryRun(ledger, deliveries, settings.enabledSinks(), mail, webhooks, mapper, clock,
                System.out));
        registry.accept("mailSender", SmtpSender.from(settings));
        registry.accept("smtpReplies", new SmtpReplies());
    }
}
