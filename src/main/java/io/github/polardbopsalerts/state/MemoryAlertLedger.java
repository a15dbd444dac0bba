package io.github.polardbopsalerts.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ledger in memory, for --dry-run (starting from what the real state remembers, which it never writes)
 * and --send-test: decisions and deliveries last as long as the process.
 */
public final class MemoryAlertLedger implements AlertLedger {

    private final Map<String, TrackedTask> tasks = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> alerts = new LinkedHashMap<>();
    private final Map<String, String> deliveries = new LinkedHashMap<>();
    private final Map<String, java.util.Set<String>> sinksByTask = new java.util.HashMap<>();

    public MemoryAlertLedger(Map<String, TrackedTask> remembered) {
        tasks.putAll(remembered);
    }

    @Override
    public synchronized java.util.Set<String> sinksHolding(String taskKey) {
        return java.util.Set.copyOf(sinksByTask.getOrDefault(taskKey, java.util.Set.of()));
    }

    @Override
    public Map<String, TrackedTask> tasks() {
        return Map.copyOf(tasks);
    }

    @Override
    public synchronized void record(List<Update> updates,
            java.util.function.Function<ObjectNode, ? extends Collection<String>> sinksFor, Instant at) {
        for (Update u : updates) {
            tasks.put(u.task().taskKey(), u.task());
            for (ObjectNode a : u.alerts()) {
                String id = a.path("alertId").asText();
                if (alerts.putIfAbsent(id, a) == null) {
                    for (String s : sinksFor.apply(a)) {
                        deliveries.put(id + " " + s, "pending");
                        sinksByTask.computeIfAbsent(u.task().taskKey(), k -> new java.util.HashSet<>()).add(s);
                    }
                }
            }
        }
    }

    @Override
    public synchronized Iterator<ObjectNode> pending(String sink) {
        List<ObjectNode> out = new ArrayList<>();
        alerts.forEach((id, a) -> {
            if ("pending".equals(deliveries.get(id + " " + sink))) {
                out.add(a);
            }
        });
        return out.iterator();
    }

    @Override
    public synchronized long pendingCount(String sink) {
        return deliveries.entrySet().stream()
                .filter(e -> e.getKey().endsWith(" " + sink) && "pending".equals(e.getValue())).count();
    }

    @Override
    public synchronized void delivered(Collection<String> alertIds, String sink, Instant at) {
        alertIds.forEach(alertId -> deliveries.replace(alertId + " " + sink, "delivered"));
    }

    @Override
    public synchronized void deadLettered(String alertId, String sink, String reason, Instant at) {
        deliveries.replace(alertId + " " + sink, "dead");
    }

    @Override
    public int forgetResolvedBefore(Instant cutoff) {
        return 0;
    }

    @Override
    public void close() {
    }
}
