package io.github.polardbopsalerts.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.api.ActiveOperationTask;
import io.github.polardbopsalerts.config.Durations;
import io.github.polardbopsalerts.state.AlertLedger.Update;
import io.github.polardbopsalerts.state.Fingerprint;
import io.github.polardbopsalerts.state.TrackedTask;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, from a task as the API returns it now and what was sent about it before, which alert (if any)
 * is due: urgent the first time, changed when a watched field moved, a reminder as a stage before the
 * Deadline is crossed, resolved when the task is done or has left the API.
 */
public final class AlertPlanner {

    /** Status 5 succeeded, 6 failed, 7 cancelled: the task will not run any more. */
    static final Map<Integer, String> FINAL_STATUSES = Map.of(5, "SUCCEEDED", 6, "FAILED", 7, "CANCELLED");
    public static final String GONE = "GONE";

    private final UrgencyRule rule;
    private final List<Duration> stages;
    private final AlertDocuments documents;
    private final RequestView view;

    public AlertPlanner(UrgencyRule rule, List<Duration> stages, AlertDocuments documents, RequestView view) {
        this.rule = rule;
        this.stages = List.copyOf(stages);
        this.documents = documents;
        this.view = view;
    }

    /** What to save and send for one task read this cycle; empty when nothing is new. */
    public Optional<Update> plan(ActiveOperationTask task, TrackedTask tracked, Optional<UrgencyRule.Verdict> verdict,
            Instant now) {
        if (tracked == null) {
            return verdict.map(v -> firstAlert(task, v, now));
        }
        if (!tracked.open()) {
            // Reported gone, yet listed again and must-act: the earlier resolved alert was wrong, so say so
            // rather than stay silent until the task is forgotten.
            return verdict.isPresent() && listedAgain(tracked, task)
                    ? Optional.of(reopened(tracked, task, verdict.get(), now))
                    : Optional.empty();
        }
        String resolution = task.status() == null ? null : FINAL_STATUSES.get(task.status());
        if (resolution != null) {
            return Optional.of(resolved(tracked, task, resolution, now));
        }
        Fingerprint current = Fingerprint.of(task);
        if (!current.equals(tracked.fingerprint())) {
            return Optional.of(changed(tracked, task, current, verdict, now));
        }
        if (verdict.isEmpty()) {
            return Optional.empty();
        }
        Set<String> crossed = crossedStages(current.deadlineInstant(), now);
        Set<String> fresh = new LinkedHashSet<>(crossed);
        fresh.removeAll(tracked.remindersDone());
        if (fresh.isEmpty()) {
            return Optional.empty();
        }
        // Several stages crossed since the last cycle (the daemon was down): one reminder, the nearest.
        String stage = fresh.stream().reduce((a, b) -> b).orElseThrow();
        Set<String> done = new HashSet<>(tracked.remindersDone());
        done.addAll(crossed);
        String id = tracked.taskKey() + "/reminder/" + stage + "@" + current.deadline();
        ObjectNode doc = documents.document(id, "reminder", task, verdict.get().reasons(), now);
        doc.put("stage", stage);
        return Optional.of(new Update(tracked.withReminders(done, task.raw()), List.of(doc)));
    }

    /**
     * The resolved alert for an alerted task that its region, read completely, no longer returns; empty when
     * the request filters, changed since, would not return it anyway: it is out of view, not gone.
     */
    public Optional<Update> gone(TrackedTask tracked, Instant now) {
        ObjectNode last = tracked.lastItem(documents.mapper());
        if (!view.covers(last)) {
            return Optional.empty();
        }
        return Optional.of(resolved(tracked, new ActiveOperationTask(tracked.scope(), last), GONE, now));
    }

    /** A task resolved because it left the API (its last item has no final Status) that is back, not final. */
    private boolean listedAgain(TrackedTask tracked, ActiveOperationTask task) {
        if (task.status() != null && FINAL_STATUSES.containsKey(task.status())) {
            return false;
        }
        int lastStatus = tracked.lastItem(documents.mapper()).path("Status").asInt(-1);
        return !FINAL_STATUSES.containsKey(lastStatus);
    }

    /**
     * The task is must-act again after being reported gone: a new urgent alert whose id names the resolution it
     * follows, so receivers that dropped the first urgent one keep this one, and a rerun decides the same id.
     */
    private Update reopened(TrackedTask tracked, ActiveOperationTask task, UrgencyRule.Verdict verdict, Instant now) {
        Fingerprint fp = Fingerprint.of(task);
        TrackedTask next = new TrackedTask(tracked.taskKey(), task.polledRegion(), fp, verdict.reasons(),
                crossedStages(fp.deadlineInstant(), now), tracked.changes(), tracked.firstAlertedAt(), null,
                task.raw().toString(), tracked.resolvedAt());
        String id = tracked.taskKey() + "/urgent" + afterSuffix(next);
        ObjectNode doc = documents.document(id, "urgent", task, verdict.reasons(), now);
        doc.put("reopenedAfter", tracked.resolvedAt().toString());
        return new Update(next, List.of(doc));
    }

    private Update firstAlert(ActiveOperationTask task, UrgencyRule.Verdict verdict, Instant now) {
        Fingerprint fp = Fingerprint.of(task);
        // A task first seen inside a reminder stage gets this one alert, not a reminder as well.
        Set<String> done = crossedStages(fp.deadlineInstant(), now);
        TrackedTask tracked = new TrackedTask(task.taskKey(), task.polledRegion(), fp, verdict.reasons(), done, 0,
                now, null, task.raw().toString());
        ObjectNode doc = documents.document(task.taskKey() + "/urgent", "urgent", task, verdict.reasons(), now);
        return new Update(tracked, List.of(doc));
    }

    private Update changed(TrackedTask tracked, ActiveOperationTask task, Fingerprint current,
            Optional<UrgencyRule.Verdict> verdict, Instant now) {
        TrackedTask next = tracked.changedTo(current, crossedStages(current.deadlineInstant(), now), task.raw());
        String id = tracked.taskKey() + "/changed/" + next.changes();
        List<String> reasons = verdict.map(UrgencyRule.Verdict::reasons).orElse(List.of());
        ObjectNode doc = documents.document(id, "changed", task, reasons, now);
        ArrayNode changes = doc.putArray("changes");
        for (Fingerprint.FieldChange c : current.changesSince(tracked.fingerprint())) {
            changes.addObject().put("field", c.field()).put("from", c.from()).put("to", c.to());
        }
        return new Update(next, List.of(doc));
    }

    /** "" for a task's first life; "/after-<epoch second>" once it was listed again after a resolution. */
    private static String afterSuffix(TrackedTask tracked) {
        return tracked.reopenedAfter() == null ? "" : "/after-" + tracked.reopenedAfter().getEpochSecond();
    }

    private Update resolved(TrackedTask tracked, ActiveOperationTask task, String resolution, Instant now) {
        ObjectNode doc = documents.document(tracked.taskKey() + "/resolved" + afterSuffix(tracked), "resolved", task,
                tracked.reasons(), now);
        doc.put("resolution", resolution);
        return new Update(tracked.resolved(now, task.raw()), List.of(doc));
    }

    /** Labels of the stages whose moment (Deadline minus the stage) has come, farthest first. */
    Set<String> crossedStages(Instant deadline, Instant now) {
        Set<String> crossed = new LinkedHashSet<>();
        if (deadline == null) {
            return crossed;
        }
        for (Duration stage : stages) {
            if (!now.isBefore(deadline.minus(stage))) {
                crossed.add(Durations.label(stage));
            }
        }
        return crossed;
    }

    public UrgencyRule rule() {
        return rule;
    }
}
