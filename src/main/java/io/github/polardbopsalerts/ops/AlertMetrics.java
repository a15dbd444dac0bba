package io.github.polardbopsalerts.ops;

import io.github.polardbopsalerts.poll.CycleReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The daemon's own figures beside Camel's, in the registry /observe/metrics serves: cycles by result, API
 * answers by region and code, tasks by region, status and level, alerts by kind, sink and result, seconds
 * to the nearest must-act deadline, the time of the last good cycle, and the alerts each sink still owes.
 */
public final class AlertMetrics implements Consumer<CycleReport> {

    private final MeterRegistry registry;
    private final Clock clock;
    private final MultiGauge tasks;
    private final MultiGauge pending;
    private final Timer cycleDuration;
    private final AtomicReference<Instant> lastGood = new AtomicReference<>();
    private final AtomicReference<CycleReport> last = new AtomicReference<>();

    public AlertMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.tasks = MultiGauge.builder("polardb_alerts_tasks")
                .description("Tasks the API returned in the last cycle, by region, Status and ChangeLevel")
                .register(registry);
        this.pending = MultiGauge.builder("polardb_alerts_pending")
                .description("Alerts a sink has not yet confirmed after the last cycle: above 0 for long, the sink is"
                        + " failing")
                .register(registry);
        this.cycleDuration = Timer.builder("polardb_alerts_cycle_duration").description("Wall time of a poll cycle")
                .register(registry);
        Gauge.builder("polardb_alerts_last_good_cycle_timestamp_seconds", lastGood,
                t -> t.get() == null ? Double.NaN : t.get().getEpochSecond())
                .description("When the last cycle that read every region and delivered every alert ended")
                .register(registry);
        Gauge.builder("polardb_alerts_urgent_tasks", last, r -> r.get() == null ? Double.NaN : r.get().urgent())
                .description("Tasks the last cycle found urgent: must-act and within alert.deadline-window")
                .register(registry);
        Gauge.builder("polardb_alerts_seconds_to_nearest_deadline", last, this::secondsToNearestDeadline)
                .description("Seconds from now to the nearest Deadline of an urgent task (negative: passed)")
                .register(registry);
    }

    private double secondsToNearestDeadline(AtomicReference<CycleReport> ref) {
        CycleReport c = ref.get();
        Instant d = c == null ? null : c.nearestDeadline();
        return d == null ? Double.NaN : Duration.between(clock.instant(), d).toSeconds();
    }

    @Override
    public void accept(CycleReport cycle) {
        Counter.builder("polardb_alerts_cycles").tag("result", cycle.ok() ? "ok" : "failed")
                .description("Poll cycles by result").register(registry).increment();
        if (cycle.finishedAt() != null) {
            cycleDuration.record(Duration.between(cycle.startedAt(), cycle.finishedAt()));
        }
        if (cycle.ok()) {
            lastGood.set(cycle.finishedAt());
        }
        last.set(cycle);
        List<MultiGauge.Row<?>> rows = cycle.tasksByRegionStatusLevel().entrySet().stream()
                .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of("region", e.getKey().get(0), "status",
                        e.getKey().get(1), "level", e.getKey().get(2)), e.getValue()))
                .toList();
        tasks.register(rows, true);
        pending.register(cycle.sinks().entrySet().stream()
                .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of("sink", e.getKey()), e.getValue().pending()))
                .toList(), true);
    }

    /** One API answer: "OK", the API's error Code, or how the request failed. */
    public void apiAnswer(String region, String code) {
        Counter.builder("polardb_alerts_api_requests").tag("region", region == null ? "" : region)
                .tag("code", code).description("DescribeActiveOperationTasks requests by region and answer")
                .register(registry).increment();
    }

    /** One alert's fate at one sink: delivered, failed (kept pending), dead_letter. */
    public void alert(String kind, String sink, String result) {
        Counter.builder("polardb_alerts_alerts").tag("kind", kind).tag("sink", sink).tag("result", result)
                .description("Alerts by kind, sink and result").register(registry).increment();
    }
}
