package io.github.polardbopsalerts.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.polardbopsalerts.api.ApiCredential;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PolarDB OpenAPI simulator serving DescribeActiveOperationTasks (2017-08-01) on loopback the way the
 * real service documents it: V3 and V1 signatures verified (clock skew, nonce replay, STS tokens),
 * every request filter, PageSize 30/50/100, and Alibaba's error JSON. Faults can be injected per request.
 */
public final class PolarDbSimulator implements AutoCloseable {

    public static final String ACTION = "DescribeActiveOperationTasks";
    public static final String VERSION = "2017-08-01";
    static final Set<String> TASK_TYPES = Set.of("all", "DatabaseSoftwareUpgrading", "DatabaseHardwareMaintenance",
            "DatabaseStorageUpgrading", "DatabaseProxyUpgrading");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, ApiCredential> credentials = new ConcurrentHashMap<>();
    private final List<ObjectNode> tasks = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final SignatureVerifier verifier;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger businessRequests = new AtomicInteger();
    private final Map<String, AtomicInteger> requestsByRegion = new ConcurrentHashMap<>();
    private final AtomicLong latencyMillis = new AtomicLong();
    private volatile boolean frozen;
    private final Map<String, List<ObjectNode>> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong inflateTotal = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<Map<String, String>> seenQueries = new CopyOnWriteArrayList<>();
    private final List<Long> arrivalNanos = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ExecutorService executor;

    public PolarDbSimulator(Clock clock) {
        this.verifier = new SignatureVerifier(credentials::get, clock);
    }

    /** Accepts requests signed with this AccessKey (and, for STS, only with its token). */
    public PolarDbSimulator withCredential(ApiCredential credential) {
        credentials.put(credential.accessKeyId(), credential);
        return this;
    }

    public PolarDbSimulator withTasks(List<ObjectNode> items) {
        tasks.addAll(items);
        return this;
    }

    /** Loads items from a JSON file: an array of items, or an object with an Items array. */
    public PolarDbSimulator withTasksFrom(Path file) throws IOException {
        JsonNode root = mapper.readTree(Files.readAllBytes(file));
        JsonNode items = root.isArray() ? root : root.path("Items");
        if (!items.isArray()) {
            throw new IOException(file + ": expected a JSON array of tasks or an object with an Items array");
        }
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw new IOException(file + ": every task must be a JSON object");
            }
            tasks.add((ObjectNode) item);
        }
        return this;
    }

    public List<ObjectNode> tasks() {
        return tasks;
    }

    /** Queues a fault for a coming request; faults are used in order, one per request they match. */
    public PolarDbSimulator inject(Fault fault) {
        faults.add(fault);
        return this;
    }

    /** A pause before every answer. */
    public PolarDbSimulator latency(Duration latency) {
        latencyMillis.set(latency.toMillis());
        return this;
    }

    /** Makes TotalRecordCount claim this many more tasks than there are. */
    public PolarDbSimulator inflateTotalRecordCount(long extra) {
        inflateTotal.set(extra);
        return this;
    }

    /**
     * Promises the tasks will not change any more: each filter's sorted result is then computed once, so
     * paging through a large data set costs the simulator little (for benchmarks of the client).
     */
    public PolarDbSimulator frozen() {
        this.frozen = true;
        return this;
    }

    public PolarDbSimulator start() throws IOException {
        return start(0);
    }

    public PolarDbSimulator start(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "polardb-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request received, including rejected ones. */
    public int requestCount() {
        return requests.get();
    }

    /** Requests that passed authentication and reached the action. */
    public int acceptedRequestCount() {
        return businessRequests.get();
    }

    public int requestCount(String region) {
        AtomicInteger n = requestsByRegion.get(region);
        return n == null ? 0 : n.get();
    }

    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /** The decoded parameters of every request that passed authentication, in arrival order. */
    public List<Map<String, String>> acceptedQueries() {
        return seenQueries;
    }

    /** System.nanoTime() at the arrival of each accepted request, in order. */
    public List<Long> acceptedArrivalNanos() {
        return arrivalNanos;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange http) throws IOException {
        requests.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        boolean counted = true;
        try (http) {
            String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
            byte[] body;
            try (InputStream in = http.getRequestBody()) {
                body = in.readAllBytes();
            }
            pause(latencyMillis.get());
            SimRequest request = SimRequest.of(http, body);
            Answer answer = answer(request, requestId);
            if (answer == null) {
                return; // connection dropped on purpose
            }
            http.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
            http.getResponseHeaders().set("x-acs-request-id", requestId);
            if (answer.retryAfterMillis > 0) {
                http.getResponseHeaders().set("x-acs-retry-after", Long.toString(answer.retryAfterMillis));
            }
            // A request is done once answered: the client may send its next one as soon as it reads this,
            // which must not count as two in flight.
            inFlight.decrementAndGet();
            counted = false;
            http.sendResponseHeaders(answer.status, answer.body.length);
            try (OutputStream out = http.getResponseBody()) {
                out.write(answer.body);
            }
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
        }
    }

    private Answer answer(SimRequest request, String requestId) {
        SignatureVerifier.Rejection rejected = verifier.verify(request);
        if (rejected != null) {
            return error(rejected.httpStatus(), rejected.code(), rejected.message(), requestId, request, 0);
        }
        String action = request.action();
        if (!ACTION.equals(action) || !VERSION.equals(request.version())) {
            return error(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.",
                    requestId, request, 0);
        }
        businessRequests.incrementAndGet();
        arrivalNanos.add(System.nanoTime());
        Map<String, String> q = request.params();
        String region = q.get("RegionId");
        if (region != null) {
            requestsByRegion.computeIfAbsent(region, r -> new AtomicInteger()).incrementAndGet();
        }
        seenQueries.add(Map.copyOf(q));
        Fault fault = nextFault(region);
        if (fault != null) {
            switch (fault.kind()) {
                case ERROR:
                    return error(fault.httpStatus(), fault.code(), fault.message(), requestId, request,
                            fault.retryAfterMillis());
                case MALFORMED:
                    return new Answer(200, "{\"RequestId\":\"".concat(requestId).concat("\",\"Items\":[{\"TaskId\":")
                            .getBytes(StandardCharsets.UTF_8), 0);
                case DELAY:
                    pause(fault.delay().toMillis());
                    break;
                case DROP_CONNECTION:
                    return null;
                case RUN:
                    fault.action().run();
                    break;
                default:
                    break;
            }
        }
        return describe(q, requestId, request);
    }

    private Fault nextFault(String region) {
        for (Fault f : faults) {
            if ((f.region() == null || f.region().equals(region)) && faults.remove(f)) {
                return f;
            }
        }
        return null;
    }

    private Answer describe(Map<String, String> q, String requestId, SimRequest request) {
        String region = q.get("RegionId");
        if (region == null || region.isBlank()) {
            return error(400, "RequiredParam.NotFound", "Required input param is not found.", requestId, request, 0);
        }
        Integer pageSize = intParam(q, "PageSize", 30);
        Integer pageNumber = intParam(q, "PageNumber", 1);
        if (pageSize == null || pageNumber == null || !Set.of(30, 50, 100).contains(pageSize) || pageNumber < 1) {
            return error(400, "InvalidPageParam.Format", "The PageSize or PageNumber parameter format is invalid.",
                    requestId, request, 0);
        }
        String taskType = q.getOrDefault("TaskType", "all");
        if (!TASK_TYPES.contains(taskType)) {
            return error(400, "InvalidParameter", "The specified parameter TaskType is not valid.", requestId, request, 0);
        }
        if (region.equals("all") && !taskType.equals("all")) {
            return error(400, "InvalidParameter", "RegionId all is only supported with TaskType all.", requestId,
                    request, 0);
        }
        List<ObjectNode> matching = frozen
                ? answers.computeIfAbsent(filterKey(q), k -> matching(q, region, taskType))
                : matching(q, region, taskType);
        int from = (int) Math.min((long) (pageNumber - 1) * pageSize, matching.size());
        int to = Math.min(from + pageSize, matching.size());
        ObjectNode out = mapper.createObjectNode();
        out.put("RequestId", requestId);
        out.put("TotalRecordCount", matching.size() + inflateTotal.get());
        out.put("PageNumber", pageNumber);
        out.put("PageSize", pageSize);
        ArrayNode items = out.putArray("Items");
        matching.subList(from, to).forEach(items::add);
        try {
            return new Answer(200, mapper.writeValueAsBytes(out), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<ObjectNode> matching(Map<String, String> q, String region, String taskType) {
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode t : tasks) {
            if (matches(t, q, region, taskType)) {
                matching.add(t);
            }
        }
        matching.sort(Comparator.comparingLong(t -> t.path("TaskId").asLong()));
        return matching;
    }

    private static String filterKey(Map<String, String> q) {
        Map<String, String> filters = new java.util.TreeMap<>(q);
        filters.keySet().removeAll(Set.of("PageNumber", "PageSize", "Signature", "SignatureNonce", "Timestamp"));
        return filters.toString();
    }

    private static boolean matches(ObjectNode t, Map<String, String> q, String region, String taskType) {
        return (region.equals("all") || region.equals(t.path("Region").asText()))
                && (taskType.equals("all") || taskType.equals(t.path("TaskType").asText()))
                && filter(q, "DBType", "", t)
                && filter(q, "Status", "-1", t)
                && filter(q, "ChangeLevel", "all", t)
                && filter(q, "AllowCancel", "-1", t)
                && filter(q, "AllowChange", "-1", t)
                && filter(q, "DBClusterId", "", t);
    }

    private static boolean filter(Map<String, String> q, String name, String any, ObjectNode t) {
        String wanted = q.get(name);
        return wanted == null || wanted.isEmpty() || wanted.equals(any) || wanted.equals(t.path(name).asText());
    }

    private static Integer intParam(Map<String, String> q, String name, int dflt) {
        String v = q.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Answer error(int status, String code, String message, String requestId, SimRequest request,
            long retryAfterMillis) {
        ObjectNode e = mapper.createObjectNode();
        e.put("RequestId", requestId);
        e.put("HostId", request.host() == null ? "polardb.aliyuncs.com" : request.host());
        e.put("Code", code);
        e.put("Message", message);
        e.put("Recommend", "https://api.aliyun.com/troubleshoot?q=" + code + "&product=polardb");
        try {
            return new Answer(status, mapper.writeValueAsBytes(e), retryAfterMillis);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Answer(int status, byte[] body, long retryAfterMillis) {
    }
}
