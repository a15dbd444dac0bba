package io.github.polardbopsalerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.polardbopsalerts.api.ApiCredential;
import io.github.polardbopsalerts.simulator.PolarDbSimulator;
import io.github.polardbopsalerts.simulator.TaskGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar the way an operator does: java -jar, from another directory, in a clean environment. */
class ApplicationIT {

    @TempDir
    Path work;

    private Jar.Run run(Map<String, String> extraEnv, String... args) throws Exception {
        return Jar.run(work, extraEnv, args);
    }

    private PolarDbSimulator simulator(ApiCredential credential) throws IOException {
        return new PolarDbSimulator(Clock.systemUTC()).withCredential(credential)
                .withTasks(new TaskGenerator(Harness.MAPPER).generate(5, List.of("cn-hangzhou", "cn-shanghai"), 150,
                        Instant.now()))
                .start();
    }

    @Test
    void demo_once_polls_the_built_in_simulator_and_writes_the_alert_log() throws Exception {
        Jar.Run r = run(Map.of(), "--demo", "--once");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("cycle ok");
        List<String> lines;
        try (Stream<Path> files = Files.list(work.resolve("data/alerts"))) {
            Path log = files.filter(f -> f.getFileName().toString().matches("alerts-\\d{4}-\\d{2}-\\d{2}\\.jsonl"))
                    .findFirst().orElseThrow();
            lines = Files.readAllLines(log);
        }
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{\"schema\":\"polardb-ops-alerts/alert/v1\""));
        assertThat(Files.readString(work.resolve("data/state/last-cycle.json"))).contains("\"ok\" : true");
        try (Stream<Path> mails = Files.list(work.resolve("data/demo/mail"))) {
            List<Path> eml = mails.filter(f -> f.toString().endsWith(".eml")).toList();
            assertThat(eml).hasSize(lines.size());
            assertThat(Files.readString(eml.get(0))).contains("Subject: [PolarDB S", "Content-Type: multipart/mixed");
        }

        Jar.Run again = run(Map.of(), "--demo", "--once");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stderr()).contains("file 0 delivered", "mail 0 delivered");
    }

    @Test
    void polls_with_sts_credentials_from_the_environment_and_never_writes_the_secret_or_token() throws Exception {
        ApiCredential sts = new ApiCredential("STS.it-key-id", "it-Secret-5f1c2b9e", "it-Token-0d8e44aa71");
        try (PolarDbSimulator simulator = simulator(sts)) {
            Jar.Run r = run(Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", sts.accessKeyId(),
                    "ALIBABA_CLOUD_ACCESS_KEY_SECRET", sts.accessKeySecret(),
                    "ALIBABA_CLOUD_SECURITY_TOKEN", sts.securityToken(),
                    "POLARDB_ENDPOINT", simulator.endpoint().toString(),
                    "POLARDB_REGIONS", "cn-hangzhou,cn-shanghai",
                    "POLARDB_PAGE_SIZE", "30"), "--once");

            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(simulator.acceptedRequestCount()).isEqualTo(10);
            String everything = r.stdout() + r.stderr() + allFiles(work);
            assertThat(everything).contains("polardb-ops-alerts/alert/v1")
                    .doesNotContain(sts.accessKeySecret()).doesNotContain(sts.securityToken());
        }
    }

    @Test
    void webhook_tokens_and_secrets_and_the_smtp_password_stay_out_of_output_and_files() throws Exception {
        ApiCredential key = new ApiCredential("it-key", "it-secret", null);
        com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] answer = "{\"errcode\":310000,\"errmsg\":\"sign not match\"}".getBytes();
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        hook.start();
        String token = "it-robot-Token-77aa01";
        String hookSecret = "SECit-dingtalk-secret-0099";
        String smtpPassword = "it-smtp-Password-3c3c";
        try (PolarDbSimulator simulator = simulator(key)) {
            Jar.Run r = run(Map.ofEntries(Map.entry("ALIBABA_CLOUD_ACCESS_KEY_ID", key.accessKeyId()),
                    Map.entry("ALIBABA_CLOUD_ACCESS_KEY_SECRET", key.accessKeySecret()),
                    Map.entry("POLARDB_ENDPOINT", simulator.endpoint().toString()),
                    Map.entry("SINK_WEBHOOK_ENABLED", "true"),
                    Map.entry("SINK_WEBHOOK_FORMAT", "dingtalk"),
                    Map.entry("SINK_WEBHOOK_URL", "http://127.0.0.1:" + hook.getAddress().getPort()
                            + "/robot/send?access_token=" + token),
                    Map.entry("SINK_WEBHOOK_SECRET", hookSecret),
                    Map.entry("SINK_MAIL_ENABLED", "true"),
                    Map.entry("SINK_MAIL_HOST", "127.0.0.1"),
                    Map.entry("SINK_MAIL_PORT", "1"),
                    Map.entry("SINK_MAIL_USERNAME", "alerts"),
                    Map.entry("SINK_MAIL_PASSWORD", smtpPassword),
                    Map.entry("SINK_MAIL_TO", "dba@example.com"),
                    Map.entry("SINK_RETRY_INITIAL_DELAY", "10ms"),
                    Map.entry("SINK_RETRY_MAX_DELAY", "20ms")), "--once");
            Jar.Run check = run(Map.of("SINK_WEBHOOK_URL", "https://oapi.dingtalk.com/robot/send?access_token=" + token,
                    "SINK_WEBHOOK_SECRET", hookSecret, "SINK_MAIL_PASSWORD", smtpPassword), "--check-config");

            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
            assertThat(r.stderr()).contains("sink webhook", "sink mail");
            assertThat(Files.readString(work.resolve("data/state/dead-letter/webhook.jsonl"))).contains("310000");
            assertThat(check.stdout()).contains("sink.webhook.url = https://oapi.dingtalk.com/robot/******?access_token=******");
            String everything = r.stdout() + r.stderr() + check.stdout() + check.stderr() + allFiles(work);
            assertThat(everything).doesNotContain(token).doesNotContain(hookSecret).doesNotContain(smtpPassword)
                    .doesNotContain(key.accessKeySecret());
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void json_logging_writes_one_json_object_a_line() throws Exception {
        Jar.Run r = run(Map.of("LOGGING_FORMAT", "json"), "--demo", "--once");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<String> lines = r.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            com.fasterxml.jackson.databind.JsonNode event = Harness.MAPPER.readTree(line);
            assertThat(event.has("level")).as(line).isTrue();
        }
        assertThat(r.stderr()).contains("\"formattedMessage\":\"cycle ok: regions [cn-hangzhou 3 pages 256 tasks]");
    }

    @Test
    void a_region_failing_with_a_permanent_error_exits_1_with_code_and_request_id() throws Exception {
        ApiCredential key = new ApiCredential("it-key", "it-secret", null);
        try (PolarDbSimulator simulator = simulator(key)) {
            Jar.Run r = run(Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", key.accessKeyId(),
                    "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-" + key.accessKeySecret(),
                    "POLARDB_ENDPOINT", simulator.endpoint().toString()), "--once");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).containsPattern("region cn-hangzhou failed: HTTP 400 SignatureDoesNotMatch: .*"
                    + "\\(RequestId [0-9A-F-]{36}\\)");
            assertThat(simulator.requestCount()).isEqualTo(1);

            // With JSON logs the closing message is a JSON event too, like every other line.
            Jar.Run json = run(Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", key.accessKeyId(),
                    "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-" + key.accessKeySecret(),
                    "POLARDB_ENDPOINT", simulator.endpoint().toString(), "LOGGING_FORMAT", "json"), "--once");
            assertThat(json.exitCode()).isEqualTo(1);
            List<String> lines = json.stderr().lines().filter(l -> !l.isBlank()).toList();
            for (String line : lines) {
                assertThat(Harness.MAPPER.readTree(line).has("level")).as(line).isTrue();
            }
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"level\":\"ERROR\"")
                    .containsPattern("region cn-hangzhou failed: HTTP 400 SignatureDoesNotMatch: .*RequestId"));
        }
    }

    @Test
    void no_credentials_anywhere_exits_2_naming_the_variable() throws Exception {
        Jar.Run r = run(Map.of(), "--once");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("ALIBABA_CLOUD_ACCESS_KEY_ID");
    }

    @Test
    void a_configuration_error_exits_2_naming_key_and_variable() throws Exception {
        Jar.Run r = run(Map.of("POLARDB_PAGE_SIZE", "40", "ALIBABA_CLOUD_ACCESS_KEY_ID", "x",
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "y"), "--once");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("polardb.page-size (POLARDB_PAGE_SIZE, from env POLARDB_PAGE_SIZE)");
    }

    @Test
    void check_config_prints_the_effective_settings_and_help_prints_usage() throws Exception {
        Path file = work.resolve("site.properties");
        Files.writeString(file, "polardb.regions=cn-beijing,cn-shanghai\n");
        Jar.Run check = run(Map.of(), "--check-config", "--config", file.toString());
        assertThat(check.exitCode()).isZero();
        assertThat(check.stdout()).contains("polardb.regions = cn-beijing,cn-shanghai    (" + file + ")")
                .contains("configuration ok");

        Jar.Run help = run(Map.of(), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("--once", "--demo", "--check-config", "--config FILE");

        Jar.Run unknown = run(Map.of(), "--bogus");
        assertThat(unknown.exitCode()).isEqualTo(2);
    }

    private static String allFiles(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }
}
