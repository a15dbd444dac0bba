package io.github.polardbopsalerts.poll;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.polardbopsalerts.api.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What one poll cycle did, per region and per sink; shared by the threads of the cycle. */
@JsonPropertyOrder({"startedAt", "finishedAt", "ok", "regions", "urgent", "sinks"})
public final class CycleReport {

    private final Instant startedAt;
    private volatile Instant finishedAt;
    private final Map<String, RegionReport> regions = new ConcurrentHashMap<>();
    private final Map<String, SinkReport> sinks = new ConcurrentHashMap<>();
    private final AtomicInteger urgent = new AtomicInteger();
    private final Set<String> seenTaskKeys = ConcurrentHashMap.newKeySet();
    private final Map<List<String>, AtomicLong> tasksByRegionStatusLevel = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicReference<Instant> nearestDeadline =
            new java.util.concurrent.atomic.AtomicReference<>();

    public CycleReport(Instant startedAt, Iterable<String> regionIds) {
        this.startedAt = startedAt;
        for (String r : regionIds) {
            regions.put(r, new RegionReport());
        }
    }

    @JsonIgnore
    public Instant startedAt() {
        return startedAt;
    }

    @JsonIgnore
    public Instant finishedAt() {
        return finishedAt;
    }

    @JsonProperty("startedAt")
    String startedAtText() {
        return startedAt.toString();
    }

    @JsonProperty("finishedAt")
    String finishedAtText() {
        return finishedAt == null ? null : finishedAt.toString();
    }

    void finish(Instant at) {
        this.finishedAt = at;
    }

    /** True when every region was read completely and every alert reached every sink. */
    @JsonProperty
    public boolean ok() {
        return regions.values().stream().allMatch(r -> r.error == null)
                && sinks.values().stream().allMatch(s -> s.failed.get() == 0);
    }

    @JsonProperty
    public Map<String, RegionReport> regions() {
        return new TreeMap<>(regions);
    }

    @JsonProperty
    public int urgent() {
        return urgent.get();
    }

    @JsonProperty
    public Map<String, SinkReport> sinks() {
        return new TreeMap<>(sinks);
    }

    public RegionReport region(String regionId) {
        return regions.computeIfAbsent(regionId, r -> new RegionReport());
    }

    public SinkReport sink(String name) {
        return sinks.computeIfAbsent(name, n -> new SinkReport());
    }

    public void countUrgent() {
        urgent.incrementAndGet();
    }

    /** Counts a task read this cycle by its region, Status and ChangeLevel, for the metrics. */
    public void countTask(String region, String status, String level) {
        tasksByRegionStatusLevel.computeIfAbsent(List.of(region, status, level), k -> new AtomicLong()).incrementAndGet();
    }

    /** Tasks read this cycle, by [region, status, level]. */
    @JsonIgnore
    public Map<List<String>, Long> tasksByRegionStatusLevel() {
        Map<List<String>, Long> out = new java.util.HashMap<>();
        tasksByRegionStatusLevel.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Remembers the Deadline of a task that must be acted on, keeping the nearest. */
    public void mustActDeadline(Instant deadline) {
        nearestDeadline.accumulateAndGet(deadline, (a, b) -> a == null || b.isBefore(a) ? b : a);
    }

    /** The nearest Deadline of an urgent task this cycle, or null when there was none. */
    @JsonIgnore
    public Instant nearestDeadline() {
        return nearestDeadline.get();
    }

    /** False when this task was already seen in this cycle (pages shifting while they are read). */
    public boolean firstSighting(String taskKey) {
        return seenTaskKeys.add(taskKey);
    }

    /** True when some region returned this task in this cycle. */
    public boolean seen(String taskKey) {
        return seenTaskKeys.contains(taskKey);
    }

    @JsonIgnore
    public long totalTasks() {
        return regions.values().stream().mapToLong(r -> r.tasks.get()).sum();
    }

    /** Pages and tasks read from one region, and the error that stopped it, if any. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"pages", "tasks", "totalRecordCount", "error"})
    public static final class RegionReport {
        private final AtomicInteger pages = new AtomicInteger();
        private final AtomicLong tasks = new AtomicLong();
        private final AtomicLong totalRecordCount = new AtomicLong(-1);
        private volatile RegionError error;

        @JsonProperty
        public int pages() {
            return pages.get();
        }

        @JsonProperty
        public long tasks() {
            return tasks.get();
        }

        @JsonProperty
        public long totalRecordCount() {
            return totalRecordCount.get();
        }

        @JsonProperty
        public RegionError error() {
            return error;
        }

        public void pageRead(long totalRecords, int newTasks) {
            pages.incrementAndGet();
            tasks.addAndGet(newTasks);
            totalRecordCount.set(totalRecords);
        }

        public void failed(RegionError e) {
            this.error = e;
        }
    }

    /** Why a region could not be read: the API's Code, Message and RequestId where it gave them. */
    @JsonPropertyOrder({"code", "message", "requestId", "httpStatus"})
    public record RegionError(String code, String message, String requestId, Integer httpStatus) {

        public static RegionError of(Throwable t) {
            if (t instanceof ApiException a) {
                return new RegionError(a.code(), a.apiMessage() == null ? null : ApiException.oneLine(a.apiMessage()),
                        a.requestId(),
                        a.httpStatus() > 0 ? a.httpStatus() : null);
            }
            String message = t.getMessage() == null ? t.getClass().getSimpleName()
                    : t.getClass().getSimpleName() + ": " + t.getMessage();
            return new RegionError(null, ApiException.oneLine(message), null, null);
        }

        /** One line: code, message and RequestId. */
        public String describe() {
            StringBuilder s = new StringBuilder();
            if (httpStatus != null) {
                s.append("HTTP ").append(httpStatus).append(' ');
            }
            if (code != null) {
                s.append(code).append(": ");
            }
            s.append(message == null ? "(no message)" : message);
            if (requestId != null) {
                s.append(" (RequestId ").append(requestId).append(')');
            }
            return s.toString();
        }
    }

    /**
     * Alerts a sink confirmed, alerts it could not take, and alerts left pending for the next cycle (after
     * one alert fails its retries, the sink is left alone until then).
     */
    @JsonPropertyOrder({"delivered", "failed", "pending", "lastError"})
    public static final class SinkReport {
        private final AtomicInteger delivered = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicLong pending = new AtomicLong();
        private volatile boolean unavailable;
        private volatile String lastError;

        /** Why the last alert this sink could not take failed, in one line. */
        @JsonProperty
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public String lastError() {
            return lastError;
        }

        public void lastError(String error) {
            this.lastError = error;
        }

        @JsonProperty
        public long pending() {
            return pending.get();
        }

        public void pending(long n) {
            pending.set(n);
        }

        /** True once an alert failed its retries this cycle: the sink's other alerts wait for the next. */
        @JsonIgnore
        public boolean unavailable() {
            return unavailable;
        }

        @JsonProperty
        public int delivered() {
            return delivered.get();
        }

        @JsonProperty
        public int failed() {
            return failed.get();
        }

        public void recordDelivered() {
            delivered.incrementAndGet();
        }

        public void recordFailed() {
            failed.incrementAndGet();
        }

        public void markUnavailable() {
            unavailable = true;
        }
    }
}
