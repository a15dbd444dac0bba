package io.github.polardbopsalerts.simulator;

import io.github.polardbopsalerts.api.ApiCredential;
import io.github.polardbopsalerts.config.Settings;
import java.io.IOException;
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

    private final PolarDbSimulator simulator;
    private final DemoMailServer mail;
    private final Settings settings;

    private Demo(PolarDbSimulator simulator, DemoMailServer mail, Settings settings) {
        this.simulator = simulator;
        this.mail = mail;
        this.settings = settings;
    }

    public static Demo start(Settings settings) throws IOException {
        List<String> regions = settings.regions().contains("all")
                ? List.of("cn-hangzhou", "cn-shanghai", "ap-southeast-1") : settings.regions();
        Clock clock = Clock.systemUTC();
        PolarDbSimulator simulator = new PolarDbSimulator(clock).withCredential(CREDENTIAL)
                .withTasks(new TaskGenerator(new com.fasterxml.jackson.databind.ObjectMapper())
                        .generate(SEED, regions, settings.demoTasksPerRegion(), clock.instant()))
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
        Settings demo = settings.with("polardb.endpoint", simulator.endpoint().toString(), "--demo")
                .with("sink.mail.enabled", "true", "--demo")
                .with("sink.mail.host", "127.0.0.1", "--demo")
                .with("sink.mail.port", Integer.toString(mail.port()), "--demo")
                .with("sink.mail.security", "none", "--demo")
                .with("sink.mail.username", "", "--demo")
                .with("sink.mail.password", "", "--demo")
                .with("sink.mail.from", "polardb-ops-alerts@demo.invalid", "--demo")
                .with("sink.mail.to", DemoMailServer.RECIPIENT, "--demo");
        return new Demo(simulator, mail, demo);
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
            mail.close();
        } finally {
            simulator.close();
        }
    }
}
