package io.github.polardbopsalerts.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the daemon remembers of a task it alerted: where it was polled, the fields last alerted on, the
 * reminder stages already covered for that Deadline, how many changes were sent, and when it was resolved.
 *
 * @param taskKey        TaskId, or region:cluster:type for an item without one
 * @param scope          the configured region the task was polled under ("all" included)
 * @param reasons        why it was must-act when first alerted
 * @param remindersDone  labels of the reminder stages covered for the current Deadline
 * @param changes        how many changed alerts were sent; numbers the next one
 * @param lastItem       the API item as last alerted on, as JSON text (compact: thousands of tasks are kept),
 *                       for a resolved alert after the task left the API
 * @param reopenedAfter  when the task was listed again after a resolved alert said it was gone: the time of that
 *                       resolution, which names the alerts of this second life; null for most tasks
 */
public record TrackedTask(String taskKey, String scope, Fingerprint fingerprint, List<String> reasons,
        Set<String> remindersDone, int changes, Instant firstAlertedAt, Instant resolvedAt, String lastItem,
        Instant reopenedAfter) {

    public TrackedTask(String taskKey, String scope, Fingerprint fingerprint, List<String> reasons,
            Set<String> remindersDone, int changes, Instant firstAlertedAt, Instant resolvedAt, String lastItem) {
        this(taskKey, scope, fingerprint, reasons, remindersDone, changes, firstAlertedAt, resolvedAt, lastItem, null);
    }

    /** The last item as JSON, or an empty object if it cannot be read back. */
    public ObjectNode lastItem(com.fasterxml.jackson.databind.ObjectMapper mapper) {
        try {
            return (ObjectNode) mapper.readTree(lastItem);
        } catch (java.io.IOException | ClassCastException e) {
            return mapper.createObjectNode();
        }
    }

    public TrackedTask {
        reasons = List.copyOf(reasons);
        remindersDone = Set.copyOf(remindersDone);
    }

    public boolean open() {
        return resolvedAt == null;
    }

    public TrackedTask withReminders(Set<String> done, ObjectNode item) {
        return new TrackedTask(taskKey, scope, fingerprint, reasons, done, changes, firstAlertedAt, resolvedAt,
                item.toString(), reopenedAfter);
    }

    public TrackedTask changedTo(Fingerprint next, Set<String> done, ObjectNode item) {
        return new TrackedTask(taskKey, scope, next, reasons, done, changes + 1, firstAlertedAt, resolvedAt,
                item.toString(), reopenedAfter);
    }

    public TrackedTask resolved(Instant at, ObjectNode item) {
        return new TrackedTask(taskKey, scope, fingerprint, reasons, remindersDone, changes, firstAlertedAt, at,
                item.toString(), reopenedAfter);
    }
}
