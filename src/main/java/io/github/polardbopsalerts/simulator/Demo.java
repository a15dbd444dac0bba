package io.github.polardbopsalerts.simulator;

import io.github.polardbopsalerts.api.ApiCredential;
import io.github.polardbopsalerts.config.Settings;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.sink.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** --demo: the simulator on loopback with generated tasks, and settings pointing the daemon at it. */
public final class Demo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    static final ApiCredential CREDENTIAL = new ApiCredential("demo-access-key-id", "demo-access-key-secret", null);
    static final long SEED = 20261204L;

    static final Path DIR = Path.of("data", "demo");
    /** The demo webhook's signing secret (Standard Webhooks), so the saved requests show real signatures. */
    static final String WEBHOOK_SECRET = "whsec_ZGVtby13ZWJob29rLXNpZ25pbmcta2V5LTIwMjY=";

    private final PolarDbSimulator simulator;
    private final DemoMailServer mail;
    private final DemoWebhookReceiver webhook;
    private final Settings settings;

    private Demo(PolarDbSimulator simulator, DemoMailServer mail, DemoWebhookReceiver webhook, Settings settings) {
        this.simulator = simulator;
        this.mail = mail;
        this.webhook = webhook;
        this.settings = settings;
    }

    public static Demo start(Settings settings) throws IOException {
        // The JDK's HttpServer (the demo's peers) leaves Nagle's algorithm on by default, which with delayed
        // ACKs costs about 40 ms a request on loopback; real webhook endpoints do not. Read at its first use.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        List<String> regions = settings.regions().contains("all")
                ? List.of("cn-hangzhou", "cn-shanghai", "ap-southeast-1") : settings.regions();
        Clock clock = Clock.systemUTC();
        PolarDbSimulator simulator = new PolarDbSimulator(clock).withCredential(CREDENTIAL)
                .withTasks(dataSet(regions, settings.demoTasksPerRegion(), clock))
                .start();
        LOG.info("demo: PolarDB API simulator at {} with {} tasks in {}", simulator.endpoint(),
                simulator.tasks().size(), regions);
        DemoMailServer mail;
        try {
            mail = DemoMailServer.start(DIR.resolve("mail"));
        } catch (Exception e) {
            simulator.close();
            throw new IOException("demo: cannot start the local SMTP server: " + e, e);
        }
        LOG.info("demo: SMTP server at 127.0.0.1:{}, saving what it receives under {}", mail.port(), DIR.resolve("mail"));
        DemoWebhookReceiver webhook = DemoWebhookReceiver.start(DIR.resolve("webhook"));
        LOG.info("demo: webhook receiver at {}, saving what it receives under {}", webhook.url(), DIR.resolve("webhook"));
        Settings demo = settings.with("polardb.endpoint", simulator.endpoint().toString(), "--demo")
                .with("sink.mail.enabled", "true", "--demo")
                .with("sink.mail.host", "127.0.0.1", "--demo")
                .with("sink.mail.port", Integer.toString(mail.port()), "--demo")
                .with("sink.mail.security", "none", "--demo")
                .with("sink.mail.username", "", "--demo")
                .with("sink.mail.password", "", "--demo")
                .with("sink.mail.from", "polardb-ops-alerts@demo.invalid", "--demo")
                .with("sink.mail.to", DemoMailServer.RECIPIENT, "--demo")
                .with("sink.webhook.enabled", "true", "--demo")
                .with("sink.webhook.url", webhook.url().toString(), "--demo")
                .with("sink.webhook.format", "generic", "--demo")
                .with("sink.webhook.secret", WEBHOOK_SECRET, "--demo");
        return new Demo(simulator, mail, webhook, demo);
    }

    /**
     * The demo's tasks: generated once and kept in data/demo/tasks.json, so a second run sees the same
     * tasks (and sends nothing new) and time passing brings reminders, as with the real API. Delete the
     * file, or change the regions or demo.tasks-per-region, for a fresh set.
     */
    static List<ObjectNode> dataSet(List<String> regions, int perRegion, Clock clock) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Path file = DIR.resolve("tasks.json");
        if (Files.isRegularFile(file)) {
            try {
                List<ObjectNode> kept = mapper.readValue(file.toFile(), new TypeReference<List<ObjectNode>>() { });
                boolean same = kept.size() == regions.size() * perRegion && kept.stream()
                        .map(t -> t.path("Region").asText()).distinct().sorted().toList()
                        .equals(regions.stream().distinct().sorted().toList());
                if (same) {
                    return kept;
                }
            } catch (IOException e) {
                LOG.warn("demo: {} is unreadable, generating a fresh data set: {}", file, e.getMessage());
            }
        }
        List<ObjectNode> fresh = new TaskGenerator(mapper).generate(SEED, regions, perRegion, clock.instant());
        AtomicFiles.write(file, mapper.writeValueAsBytes(fresh));
        return fresh;
    }

    public Settings settings() {
        return settings;
    }

    public ApiCredential credential() {
        return CREDENTIAL;
    }

    @Override
    public void close() {
        try {
            webhook.close();
            mail.close();
        } finally {
            simulator.close();
        }
    }
}
