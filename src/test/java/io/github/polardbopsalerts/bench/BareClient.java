package io.github.polardbopsalerts.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.polardbopsalerts.api.AcsV3Signature;
import io.github.polardbopsalerts.api.ApiCredential;
import io.github.polardbopsalerts.api.Percent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limit to compare a cycle with: a bare client that only fetches and parses the same pages (JDK
 * HttpClient and Jackson, signed the same way), page 1 of each region then the rest concurrently, with the
 * same cap on requests in flight. Prints "bare tasks=N requests=M fetch_ms=T".
 */
public final class BareClient {

    private BareClient() {
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        List<String> regions = List.of(args[1].split(","));
        int pageSize = Integer.parseInt(args[2]);
        int cap = Integer.parseInt(args[3]);
        ApiCredential key = new ApiCredential("demo-access-key-id", "demo-access-key-secret", null);
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(cap)).build();
        ObjectMapper mapper = new ObjectMapper();
        Semaphore inFlight = new Semaphore(cap);
        AtomicLong tasks = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(cap, regions.size()) * 2);
        URI uri = URI.create(endpoint);
        String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();

        long start = System.nanoTime();
        List<Future<?>> regionRuns = new ArrayList<>();
        for (String region : regions) {
            regionRuns.add(pool.submit(() -> {
                JsonNode first = page(http, mapper, inFlight, requests, endpoint, host, key, region, 1, pageSize);
                tasks.addAndGet(first.path("Items").size());
                long pages = (first.path("TotalRecordCount").asLong() + pageSize - 1) / pageSize;
                List<Future<?>> rest = new ArrayList<>();
                for (int p = 2; p <= pages; p++) {
                    int n = p;
                    rest.add(pool.submit(() -> {
                        tasks.addAndGet(page(http, mapper, inFlight, requests, endpoint, host, key, region, n, pageSize)
                                .path("Items").size());
                        return null;
                    }));
                }
                for (Future<?> f : rest) {
                    f.get();
                }
                return null;
            }));
        }
        for (Future<?> f : regionRuns) {
            f.get();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("bare tasks=" + tasks.get() + " requests=" + requests.get() + " fetch_ms=" + ms);
        pool.shutdownNow();
        System.exit(0);
    }

    private static JsonNode page(HttpClient http, ObjectMapper mapper, Semaphore inFlight, AtomicLong requests,
            String endpoint, String host, ApiCredential key, String region, int pageNumber, int pageSize)
            throws Exception {
        Map<String, String> q = new TreeMap<>(Map.of("RegionId", region, "PageNumber", Integer.toString(pageNumber),
                "PageSize", Integer.toString(pageSize), "TaskType", "all", "Status", "-1", "ChangeLevel", "all",
                "AllowCancel", "-1", "AllowChange", "-1"));
        Map<String, String> headers = AcsV3Signature.signedHeaders("POST", host, "DescribeActiveOperationTasks",
                "2017-08-01", q, key, Instant.now(), UUID.randomUUID().toString());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + "/?" + Percent.canonicalQuery(q)))
                .POST(HttpRequest.BodyPublishers.noBody());
        headers.forEach((k, v) -> {
            if (!k.equals("host")) {
                b.header(k, v);
            }
        });
        inFlight.acquire();
        try {
            requests.incrementAndGet();
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode() + ": " + new String(r.body()));
            }
            return mapper.readTree(r.body());
        } finally {
            inFlight.release();
        }
    }
}
