package io.github.polardbopsalerts.ops;

import io.github.polardbopsalerts.poll.CycleReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Two checks from the cycles: readiness says whether the last cycle reached the API in every region
 * (with each failed region's Code and RequestId); liveness says whether cycles still finish at all.
 */
public final class CycleHealth implements Consumer<CycleReport> {

    private final AtomicReference<CycleReport> last = new AtomicReference<>();
    private final Clock clock;
    private final Duration stuckAfter;
    private final Instant startedAt;

    /** @param stuckAfter how long without a finished cycle means the daemon is stuck */
    public CycleHealth(Clock clock, Duration stuckAfter) {
        this.clock = clock;
        this.stuckAfter = stuckAfter;
        this.startedAt = clock.instant();
    }

    @Override
    public void accept(CycleReport cycle) {
        last.set(cycle);
    }

    public HealthCheck readiness() {
        return new AbstractHealthCheck("polardb-ops-alerts", "polardb-api") {
            @Override
            public boolean isLiveness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                CycleReport c = last.get();
                if (c == null) {
                    builder.down().message("no poll cycle has finished yet");
                    return;
                }
                builder.detail("last.cycle.finished", String.valueOf(c.finishedAt()));
                Map<String, String> failed = new TreeMap<>();
                c.regions().forEach((region, r) -> {
                    if (r.error() != null) {
                        failed.put(region, r.error().describe());
                    }
                });
                failed.forEach((region, error) -> builder.detail("region." + region, error));
                if (failed.isEmpty()) {
                    builder.up().message("the last cycle read every region");
                } else {
                    builder.down().message("the last cycle could not read " + failed.keySet());
                }
            }
        };
    }

    public HealthCheck liveness() {
        return new AbstractHealthCheck("polardb-ops-alerts", "poll-cycles") {
            @Override
            public boolean isReadiness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                CycleReport c = last.get();
                Instant since = c == null ? startedAt : c.finishedAt();
                Duration quiet = Duration.between(since, clock.instant());
                builder.detail("since.last.cycle.seconds", quiet.toSeconds());
                if (quiet.compareTo(stuckAfter) > 0) {
                    builder.down().message("no poll cycle finished for " + quiet.toSeconds() + " s");
                } else {
                    builder.up();
                }
            }
        };
    }
}
