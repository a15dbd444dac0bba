package io.github.polardbopsalerts.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What was decided and what each sink confirmed, kept across restarts. An alert is recorded, pending for
 * every enabled sink, in the same transaction as the task's new state; a sink's confirmation marks it
 * delivered there. One small interface, so that a shared database could back several instances later.
 */
public interface AlertLedger extends AutoCloseable {

    /** Every remembered task, open or resolved within the retention, by task key. */
    Map<String, TrackedTask> tasks();

    /** Saves the tasks' new state and their new alerts, pending for each of {@code sinks}, all or nothing. */
    default void record(List<Update> updates, Collection<String> sinks, Instant at) {
        record(updates, alert -> sinks, at);
    }

    /**
     * Saves the tasks' new state and their new alerts, each pending for the sinks {@code sinksFor} names for it,
     * all or nothing.
     */
    void record(List<Update> updates, java.util.function.Function<ObjectNode, ? extends Collection<String>> sinksFor,
            Instant at);

    /** The alerts still pending for a sink, oldest first, read in batches as the iterator advances. */
    Iterator<ObjectNode> pending(String sink);

    /** The sinks that have (or had) any alert about the task, whatever became of it there. */
    Set<String> sinksHolding(String taskKey);

    /** How many alerts are pending for a sink. */
    long pendingCount(String sink);

    /** The sink took the alert. */
    default void delivered(String alertId, String sink, Instant at) {
        delivered(List.of(alertId), sink, at);
    }

    /** The sink took every one of these alerts (a group, or a digest): recorded all or nothing. */
    void delivered(Collection<String> alertIds, String sink, Instant at);

    /** The sink refused the alert for good; it went to the dead-letter file and is not tried again. */
    void deadLettered(String alertId, String sink, String reason, Instant at);

    /** Forgets tasks resolved before {@code cutoff}, with their alerts; returns how many tasks. */
    int forgetResolvedBefore(Instant cutoff);

    @Override
    void close();

    /** A task's new state and the alerts it gives rise to (possibly none). */
    record Update(TrackedTask task, List<ObjectNode> alerts) {
        public Update {
            alerts = List.copyOf(alerts);
        }
    }
}
