package io.github.polardbopsalerts.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.api.ActiveOperationTask;
import io.github.polardbopsalerts.api.Exchanges;
import io.github.polardbopsalerts.poll.CycleReport;
import io.github.polardbopsalerts.sink.AlertRouting;
import io.github.polardbopsalerts.state.AlertLedger;
import io.github.polardbopsalerts.state.AlertLedger.Update;
import io.github.polardbopsalerts.state.TrackedTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each page of tasks into the alerts that are due, saving them with the tasks' new state before any
 * sink sees them; after all regions, resolves alerted tasks that left the API. Keeps the ledger's tasks in
 * memory (one process owns a state.dir), so an identical cycle reads and writes nothing.
 */
public final class AlertTracker {

    private static final Logger LOG = LoggerFactory.getLogger(AlertTracker.class);

    private final AlertLedger ledger;
    private final AlertPlanner planner;
    /** The sinks each alert is for: every enabled one, less those whose filter leaves it out. */
    private final AlertRouting routing;
    private final Duration retention;
    private final Clock clock;
    private final java.util.concurrent.CompletableFuture<Map<String, TrackedTask>> loading;
    /** Alerted tasks the request filters hid at the last look, to log a change of that number once. */
    private int lastOutOfView;

    public AlertTracker(AlertLedger ledger, AlertPlanner planner, AlertRouting routing, Duration retention,
            Clock clock) {
        this.ledger = ledger;
        this.planner = planner;
        this.routing = routing;
        this.retention = retention;
        this.clock = clock;
        // Read while Camel starts; the first page waits for it. A state that cannot be read still stops the
        // run before any alert is decided.
        this.loading = java.util.concurrent.CompletableFuture.supplyAsync(() -> new ConcurrentHashMap<>(ledger.tasks()));
    }

    /** Waits for the state to be read; throws what made it unreadable. */
    public void awaitLoaded() {
        tasks();
    }

    private Map<String, TrackedTask> tasks() {
        try {
            return loading.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Forgets tasks resolved longer ago than state.retention-days, so the state stays bounded. */
    public void forgetExpired() {
        Instant cutoff = clock.instant().minus(retention);
        int forgotten = ledger.forgetResolvedBefore(cutoff);
        if (forgotten > 0) {
            tasks().values().removeIf(t -> !t.open() && t.resolvedAt().isBefore(cutoff));
            LOG.info("forgot {} task(s) resolved before {}", forgotten, cutoff);
        }
    }

    /** Judges the page of tasks in the body and records the alerts due, all in one transaction. */
    public void evaluatePage(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<ActiveOperationTask> page = exchange.getMessage().getBody(List.class);
        CycleReport cycle = exchange.getProperty(Exchanges.CYCLE, CycleReport.class);
        Instant now = clock.instant();
        List<Update> updates = new ArrayList<>();
        for (ActiveOperationTask task : page) {
            Optional<UrgencyRule.Verdict> verdict = planner.rule().evaluate(task, now);
            if (cycle != null) {
                cycle.countTask(task.region() == null ? "" : task.region(),
                        task.status() == null ? "unknown" : task.status().toString(),
                        task.changeLevel() == null ? "unknown" : task.changeLevel());
                if (verdict.isPresent()) {
                    cycle.countUrgent();
                    if (verdict.get().deadline() != null) {
                        cycle.mustActDeadline(verdict.get().deadline());
                    }
                }
            }
            TrackedTask tracked = tasks().get(task.taskKey());
            if (tracked == null && verdict.isEmpty()) {
                continue;
            }
            planner.plan(task, tracked, verdict, now).ifPresent(u -> {
                updates.add(u);
                if (tracked == null && verdict.get().deadlineUnknown()) {
                    LOG.warn("task {} of cluster {} in {} is must-act but its Deadline '{}' is missing or"
                            + " unreadable; alerting anyway", task.taskId(), task.dbClusterId(), task.region(),
                            task.deadline() == null ? "" : task.deadline());
                }
            });
        }
        save(updates, now);
    }

    /**
     * Resolves every open alerted task not returned this cycle by a region that was read completely;
     * a region that failed resolves nothing.
     */
    public void resolveGone(Exchange exchange) {
        CycleReport cycle = exchange.getProperty(Exchanges.CYCLE, CycleReport.class);
        Map<String, CycleReport.RegionReport> regions = cycle.regions();
        Instant now = clock.instant();
        List<Update> updates = new ArrayList<>();
        int outOfView = 0;
        for (TrackedTask t : tasks().values()) {
            CycleReport.RegionReport region = regions.get(t.scope());
            // Every task TotalRecordCount promised was read: pages that shifted while they were read could
            // otherwise hide a task that is still there.
            boolean readCompletely = region != null && region.error() == null && region.pages() > 0
                    && region.tasks() >= region.totalRecordCount();
            if (t.open() && readCompletely && !cycle.seen(t.taskKey())) {
                Optional<Update> gone = planner.gone(t, now);
                if (gone.isPresent()) {
                    updates.add(gone.get());
                } else {
                    outOfView++;
                }
            }
        }
        if (outOfView != lastOutOfView) {
            LOG.info("{} alerted task(s) no longer pass the request filters (polardb.task-type, .status and the"
                    + " rest); they stay open and are not reported resolved", outOfView);
            lastOutOfView = outOfView;
        }
        save(updates, now);
    }

    private void save(List<Update> updates, Instant now) {
        if (updates.isEmpty()) {
            return;
        }
        // A sink that took an alert about a task hears the rest about it (its level may have changed since,
        // and a room that saw the page must see the task resolved). Where earlier alerts went is only looked
        // up when some sink is filtered, and never for a task's first alert.
        Map<ObjectNode, String> taskOf = new IdentityHashMap<>();
        updates.forEach(u -> u.alerts().forEach(a -> taskOf.put(a, u.task().taskKey())));
        boolean filtered = routing.filtered();
        ledger.record(updates, a -> {
            boolean first = "urgent".equals(a.path("kind").asText()) && !a.has("reopenedAfter");
            return routing.sinksFor(a, filtered && !first ? ledger.sinksHolding(taskOf.get(a)) : Set.of());
        }, now);
        for (Update u : updates) {
            tasks().put(u.task().taskKey(), u.task());
            u.alerts().forEach(a -> LOG.debug("alert {} recorded", a.path("alertId").asText()));
        }
    }
}
