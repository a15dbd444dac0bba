package io.github.polardbopsalerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.github.polardbopsalerts.api.ApiCredential;
import io.github.polardbopsalerts.simulator.Fault;
import io.github.polardbopsalerts.simulator.PolarDbSimulator;
import io.github.polardbopsalerts.simulator.TaskGenerator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar as a service: the daemon with health and metrics, SIGTERM, --send-test and --dry-run. */
class ServiceIT {

    static final ApiCredential KEY = new ApiCredential("it-service-key", "it-service-secret", null);

    @TempDir
    Path work;
    PolarDbSimulator simulator;
    Map<String, String> env = new HashMap<>();
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        simulator = new PolarDbSimulator(Clock.systemUTC()).withCredential(KEY)
                .withTasks(new TaskGenerator(Harness.MAPPER).generate(3, List.of("cn-hangzhou"), 256, Instant.now()))
                .start();
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY.accessKeyId());
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", KEY.accessKeySecret());
        env.put("POLARDB_ENDPOINT", simulator.endpoint().toString());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static final Pattern THREE_GOOD_CYCLES =
            Pattern.compile("polardb_alerts_cycles_total\\{result=\"ok\"\\} ([3-9]|[1-9][0-9]+)\\.0");

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void the_daemon_serves_health_and_metrics_never_overlaps_cycles_and_stops_cleanly_on_sigterm() throws Exception {
        int port = freePort();
        simulator.latency(Duration.ofMillis(700));
        env.put("POLL_INTERVAL", "1s");
        env.put("POLARDB_PAGE_SIZE", "100");
        env.put("POLARDB_RETRY_MAX_ATTEMPTS", "1");
        // One request at a time within a cycle: a second request in flight can only come from an overlapping cycle.
        env.put("POLARDB_MAX_CONCURRENCY", "1");
        env.put("CAMEL_MANAGEMENT_PORT", Integer.toString(port));
        Process daemon = Jar.start(work, env);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                HttpResponse<String> r = get(port, "/observe/health");
                return r != null && r.statusCode() == 200 && r.body().contains("UP");
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                HttpResponse<String> r = get(port, "/observe/metrics");
                // Three good cycles or more: a slow poll of the metrics may see the count past 3.
                return r != null && THREE_GOOD_CYCLES.matcher(r.body()).find();
            });
            String metrics = get(port, "/observe/metrics").body();
            assertThat(metrics).containsPattern("polardb_alerts_alerts_total\\{kind=\"urgent\",result=\"delivered\","
                    + "sink=\"file\"\\} [1-9][0-9]*\\.0");
            assertThat(metrics).contains("polardb_alerts_api_requests_total{code=\"OK\",region=\"cn-hangzhou\"}",
                    "polardb_alerts_tasks{level=\"S0\",region=\"cn-hangzhou\",status=\"3\"}",
                    "polardb_alerts_seconds_to_nearest_deadline", "polardb_alerts_last_good_cycle_timestamp_seconds",
                    "polardb_alerts_pending{sink=\"file\"} 0.0", "polardb_alerts_urgent_tasks ",
                    "jvm_memory_used_bytes");
            // 256 tasks in pages of 100: every cycle asks for pages 1, 2, 3 in turn. Overlapping cycles
            // would interleave (1, 1, 2, ...) even through the one-request gate.
            List<String> pages = simulator.acceptedQueries().stream().map(q -> q.get("PageNumber")).toList();
            for (int i = 0; i < pages.size(); i++) {
                assertThat(pages.get(i)).as("request %d of %s", i, pages).isEqualTo(Integer.toString(i % 3 + 1));
            }
            assertThat(simulator.maxConcurrentRequests()).isEqualTo(1);

            for (int i = 0; i < 6; i++) {
                simulator.inject(Fault.serviceUnavailable());
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                HttpResponse<String> r = get(port, "/observe/health/ready");
                return r != null && r.statusCode() == 503 && r.body().contains("DOWN");
            });
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                HttpResponse<String> r = get(port, "/observe/health/ready");
                return r != null && r.statusCode() == 200;
            });
            assertThat(get(port, "/observe/health/live").statusCode()).isEqualTo(200);
        } finally {
            daemon.destroy();
        }
        assertThat(daemon.waitFor(45, TimeUnit.SECONDS)).as("stops after SIGTERM").isTrue();
        assertThat(daemon.exitValue()).isZero();
        assertThat(Files.readString(work.resolve("stderr.txt"))).doesNotContain("Exception in thread");
    }

    @Test
    void send_test_reports_each_sink_and_exits_1_when_one_failed() throws Exception {
        AtomicInteger hooks = new AtomicInteger();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes());
            if (body.contains("\"kind\":\"test\"")) {
                hooks.incrementAndGet();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        try {
            env.put("SINK_WEBHOOK_ENABLED", "true");
            env.put("SINK_WEBHOOK_URL", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
            env.put("SINK_MAIL_ENABLED", "true");
            env.put("SINK_MAIL_HOST", "127.0.0.1");
            env.put("SINK_MAIL_PORT", Integer.toString(freePort()));
            env.put("SINK_MAIL_SECURITY", "none");
            env.put("SINK_MAIL_TO", "dba@example.com");
            env.put("SINK_RETRY_INITIAL_DELAY", "10ms");

            Jar.Run r = Jar.run(work, env, "--send-test");

            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
            assertThat(r.stdout()).contains("file: ok", "webhook: ok").containsPattern("mail: FAILED: .*refused");
            assertThat(hooks.get()).isEqualTo(1);
            assertThat(simulator.requestCount()).as("no poll").isZero();
            assertThat(Files.readString(Files.list(work.resolve("data/alerts")).findFirst().orElseThrow()))
                    .contains("\"kind\":\"test\"");
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void dry_run_prints_every_message_and_delivers_or_records_nothing() throws Exception {
        env.put("SINK_MAIL_ENABLED", "true");
        env.put("SINK_MAIL_HOST", "127.0.0.1");
        env.put("SINK_MAIL_PORT", Integer.toString(freePort()));
        env.put("SINK_MAIL_TO", "dba@example.com");
        env.put("SINK_WEBHOOK_ENABLED", "true");
        env.put("SINK_WEBHOOK_FORMAT", "dingtalk");
        env.put("SINK_WEBHOOK_URL", "http://127.0.0.1:" + freePort() + "/robot/send?access_token=dry-token");

        Jar.Run r = Jar.run(work, env, "--dry-run", "--once");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("=== file message 65 (dry run, not sent)", "=== mail message 65 (dry run, not sent)",
                "=== webhook message 1 (dry run, not sent)", "POST http://127.0.0.1:", "access_token=******",
                "Subject: [PolarDB S", "\"msgtype\":\"markdown\"").doesNotContain("dry-token");
        assertThat(work.resolve("data/alerts")).doesNotExist();
        assertThat(work.resolve("data/state/state.db")).doesNotExist();
        assertThat(work.resolve("data/state/last-cycle.json")).doesNotExist();
    }
}
