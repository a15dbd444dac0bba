package io.github.polardbopsalerts.simulator;

import io.github.polardbopsalerts.api.ApiCredential;
import io.github.polardbopsalerts.config.Settings;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** --demo: the simulator on loopback with generated tasks, and settings pointing the daemon at it. */
public final class Demo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    static final ApiCredential CREDENTIAL = new ApiCredential("demo-access-key-id", "demo-access-key-secret", null);
    static final long SEED = 20261204L;

    private final PolarDbSimulator simulator;
    private final Settings settings;

    private Demo(PolarDbSimulator simulator, Settings settings) {
        this.simulator = simulator;
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
        return new Demo(simulator, settings.with("polardb.endpoint", simulator.endpoint().toString(), "--demo"));
    }

    public Settings settings() {
        return settings;
    }

    public ApiCredential credential() {
        return CREDENTIAL;
    }

    @Override
    public void close() {
        simulator.close();
    }
}
