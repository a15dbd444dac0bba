package io.github.polardbopsalerts.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.polardbopsalerts.Harness;
import io.github.polardbopsalerts.api.AcsV3Signature;
import io.github.polardbopsalerts.api.ApiCredential;
import io.github.polardbopsalerts.api.Percent;
import io.github.polardbopsalerts.api.RpcV1Signature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's answers over HTTP, for requests signed here by hand. */
class PolarDbSimulatorTest {

    static final ApiCredential KEY = Harness.CREDENTIAL;
    PolarDbSimulator simulator;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        simulator = new PolarDbSimulator(Clock.systemUTC()).withCredential(KEY)
                .withTasks(new TaskGenerator(Harness.MAPPER).generate(3, List.of("cn-hangzhou"), 256, Instant.now()))
                .start();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private HttpResponse<String> v3(Map<String, String> query, ApiCredential key, Instant date, String nonce,
            Map<String, String> extraHeaders) throws Exception {
        String host = "127.0.0.1:" + simulator.endpoint().getPort();
        Map<String, String> headers = new TreeMap<>(AcsV3Signature.signedHeaders("POST", host,
                "DescribeActiveOperationTasks", "2017-08-01", query, key, date, nonce));
        headers.remove("host");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(simulator.endpoint() + "/?"
                + Percent.canonicalQuery(query))).POST(HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        extraHeaders.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> v3(Map<String, String> query) throws Exception {
        return v3(query, KEY, Instant.now(), UUID.randomUUID().toString(), Map.of());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Harness.MAPPER.readTree(r.body());
    }

    @Test
    void answers_a_signed_request_with_a_page_of_tasks() throws Exception {
        HttpResponse<String> r = v3(Map.of("RegionId", "cn-hangzhou", "PageSize", "50", "PageNumber", "2"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("TotalRecordCount").asInt()).isEqualTo(256);
        assertThat(body.get("PageNumber").asInt()).isEqualTo(2);
        assertThat(body.get("Items")).hasSize(50);
        assertThat(body.get("RequestId").asText()).isNotBlank();
    }

    @Test
    void filters_by_every_documented_parameter() throws Exception {
        JsonNode body = json(v3(Map.of("RegionId", "cn-hangzhou", "PageSize", "100", "TaskType",
                "DatabaseProxyUpgrading", "Status", "3", "ChangeLevel", "S0", "AllowCancel", "0", "AllowChange", "1")));
        long expected = simulator.tasks().stream().filter(t -> t.get("TaskType").asText().equals("DatabaseProxyUpgrading")
                && t.get("Status").asInt() == 3 && t.get("ChangeLevel").asText().equals("S0")
                && t.get("AllowCancel").asText().equals("0") && t.get("AllowChange").asText().equals("1")).count();
        assertThat(expected).isPositive();
        assertThat(body.get("TotalRecordCount").asLong()).isEqualTo(expected);
        for (JsonNode item : body.get("Items")) {
            assertThat(item.get("TaskType").asText()).isEqualTo("DatabaseProxyUpgrading");
            assertThat(item.get("Status").asInt()).isEqualTo(3);
        }
    }

    @Test
    void the_seeded_data_covers_every_type_status_level_and_cancel_change_combination() {
        var combos = simulator.tasks().stream().map(t -> t.get("TaskType").asText() + t.get("Status").asInt()
                + t.get("ChangeLevel").asText() + t.get("AllowCancel").asText() + t.get("AllowChange").asText())
                .distinct().count();
        assertThat(combos).isEqualTo(4 * 8 * 2 * 2 * 2);
    }

    @Test
    void rejects_page_sizes_other_than_30_50_100_and_a_missing_region() throws Exception {
        HttpResponse<String> bad = v3(Map.of("RegionId", "cn-hangzhou", "PageSize", "40"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("Code").asText()).isEqualTo("InvalidPageParam.Format");
        HttpResponse<String> zero = v3(Map.of("RegionId", "cn-hangzhou", "PageNumber", "0"));
        assertThat(json(zero).get("Code").asText()).isEqualTo("InvalidPageParam.Format");
        HttpResponse<String> missing = v3(Map.of("PageSize", "30"));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).get("Code").asText()).isEqualTo("RequiredParam.NotFound");
    }

    @Test
    void answers_a_bad_signature_in_alibabas_error_format() throws Exception {
        HttpResponse<String> r = v3(Map.of("RegionId", "cn-hangzhou"),
                new ApiCredential(KEY.accessKeyId(), "wrong", null), Instant.now(), "n1", Map.of());
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode e = json(r);
        assertThat(e.get("Code").asText()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.fieldNames()).toIterable().contains("RequestId", "HostId", "Code", "Message", "Recommend");
        assertThat(r.headers().firstValue("x-acs-request-id")).contains(e.get("RequestId").asText());
    }

    @Test
    void rejects_an_unknown_key_a_replayed_nonce_a_stale_date_and_an_unsigned_header() throws Exception {
        Map<String, String> q = Map.of("RegionId", "cn-hangzhou");
        HttpResponse<String> unknown = v3(q, new ApiCredential("nobody", "x", null), Instant.now(), "n2", Map.of());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("Code").asText()).isEqualTo("InvalidAccessKeyId.NotFound");

        assertThat(v3(q, KEY, Instant.now(), "same-nonce", Map.of()).statusCode()).isEqualTo(200);
        assertThat(json(v3(q, KEY, Instant.now(), "same-nonce", Map.of())).get("Code").asText())
                .isEqualTo("SignatureNonceUsed");

        assertThat(json(v3(q, KEY, Instant.now().minus(Duration.ofMinutes(16)), "n3", Map.of())).get("Code").asText())
                .isEqualTo("IllegalTimestamp");
        assertThat(v3(q, KEY, Instant.now().minus(Duration.ofMinutes(14)), "n4", Map.of()).statusCode())
                .isEqualTo(200);

        assertThat(json(v3(q, KEY, Instant.now(), "n5", Map.of("x-acs-extra", "1"))).get("Code").asText())
                .isEqualTo("IncompleteSignature");
    }

    @Test
    void verifies_rpc_v1_signatures_sent_with_get() throws Exception {
        Map<String, String> p = new TreeMap<>(Map.of("Action", "DescribeActiveOperationTasks", "Version", "2017-08-01",
                "Format", "JSON", "AccessKeyId", KEY.accessKeyId(), "SignatureMethod", "HMAC-SHA1",
                "SignatureVersion", "1.0", "SignatureNonce", UUID.randomUUID().toString(),
                "Timestamp", AcsV3Signature.DATE.format(Instant.now()), "RegionId", "cn-hangzhou"));
        p.put("Signature", RpcV1Signature.signature(KEY.accessKeySecret(), RpcV1Signature.stringToSign("GET", p)));
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(simulator.endpoint() + "/?"
                + Percent.canonicalQuery(p))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("Items")).hasSize(30);

        // Signed for GET, sent as POST: the method is part of what is signed.
        p.put("SignatureNonce", UUID.randomUUID().toString());
        p.put("Signature", RpcV1Signature.signature(KEY.accessKeySecret(), RpcV1Signature.stringToSign("GET", p)));
        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(URI.create(simulator.endpoint() + "/?"
                + Percent.canonicalQuery(p))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json(wrongMethod).get("Code").asText()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void loads_a_data_set_from_a_json_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tasks.json");
        Files.writeString(file, "{\"Items\":[{\"TaskId\":1,\"Region\":\"cn-hangzhou\",\"TaskType\":"
                + "\"DatabaseSoftwareUpgrading\",\"Status\":3}]}");
        simulator.tasks().clear();
        simulator.withTasksFrom(file);
        JsonNode body = json(v3(Map.of("RegionId", "cn-hangzhou")));
        assertThat(body.get("TotalRecordCount").asInt()).isEqualTo(1);
        assertThat(body.get("Items").get(0).get("TaskId").asInt()).isEqualTo(1);
    }
}
