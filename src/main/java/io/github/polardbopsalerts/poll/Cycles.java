package io.github.polardbopsalerts.poll;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.polardbopsalerts.api.Exchanges;
import io.github.polardbopsalerts.config.Settings;
import io.github.polardbopsalerts.sink.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens a poll cycle, records a region that failed, and closes the cycle with its summary file. */
public final class Cycles {

    private static final Logger LOG = LoggerFactory.getLogger(Cycles.class);

    private final Settings settings;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final List<java.util.function.Consumer<CycleReport>> listeners;
    private final boolean record;

    /**
     * @param record    false for --dry-run: last-cycle.json is not written
     * @param listeners told of every finished cycle (metrics, health)
     */
    public Cycles(Settings settings, Clock clock, ObjectMapper mapper, boolean record,
            List<java.util.function.Consumer<CycleReport>> listeners) {
        this.settings = settings;
        this.clock = clock;
        this.mapper = mapper;
        this.record = record;
        this.listeners = List.copyOf(listeners);
    }

    /** Puts a fresh report in the exchange and the regions to poll in the body. */
    public List<String> begin(Exchange exchange) {
        List<String> regions = settings.regions();
        exchange.setProperty(Exchanges.CYCLE, new CycleReport(clock.instant(), regions));
        exchange.setProperty(Exchanges.ON_PAGE, "direct:evaluate-page");
        return regions;
    }

    /** Records why a region could not be read, after its retries; the other regions go on. */
    public void regionFailed(Exchange exchange) {
        CycleReport cycle = exchange.getProperty(Exchanges.CYCLE, CycleReport.class);
        String region = exchange.getProperty(Exchanges.REGION, String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        CycleReport.RegionError error = CycleReport.RegionError.of(cause);
        cycle.region(region).failed(error);
        Integer attempts = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        LOG.error("region {} failed at page {}{}: {}", region, exchange.getProperty(Exchanges.PAGE_NUMBER),
                attempts == null ? "" : " after " + (attempts + 1) + " attempts", error.describe());
    }

    /** Writes state.dir/last-cycle.json (whole or not at all), logs one summary line, returns the report. */
    public CycleReport finish(Exchange exchange) throws IOException {
        CycleReport cycle = exchange.getProperty(Exchanges.CYCLE, CycleReport.class);
        cycle.finish(clock.instant());
        if (record) {
            Path file = settings.stateDir().resolve("last-cycle.json");
            AtomicFiles.write(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(cycle));
        }
        LOG.info(summary(cycle));
        listeners.forEach(l -> l.accept(cycle));
        return cycle;
    }

    static String summary(CycleReport cycle) {
        StringJoiner regions = new StringJoiner(", ");
        cycle.regions().forEach((name, r) -> regions.add(name + " " + r.pages() + " pages " + r.tasks() + " tasks"
                + (r.error() == null ? "" : " FAILED")));
        StringJoiner sinks = new StringJoiner(", ");
        cycle.sinks().forEach((name, s) -> sinks.add(name + " " + s.delivered() + " delivered " + s.failed() + " failed "
                + s.pending() + " pending"));
        long ms = Duration.between(cycle.startedAt(), cycle.finishedAt()).toMillis();
        return "cycle " + (cycle.ok() ? "ok" : "FAILED") + ": regions [" + regions + "], urgent " + cycle.urgent()
                + ", sinks [" + sinks + "], " + ms + " ms";
    }
}
