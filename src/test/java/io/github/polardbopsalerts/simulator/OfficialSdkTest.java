package io.github.polardbopsalerts.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import io.github.polardbopsalerts.Harness;
import io.github.polardbopsalerts.api.ApiCredential;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alibaba's official SDK core (tea-openapi 0.3.10, Client.callApi with style RPC, as the generated
 * polardb20170801 client calls it) against the simulator: what it signs is accepted, what it reads is
 * what our client reads.
 */
class OfficialSdkTest {

    static final ApiCredential AK = new ApiCredential("sdk-ak-id", "sdk-ak-secret", null);
    static final ApiCredential STS = new ApiCredential("STS.sdk-sts-id", "sdk-sts-secret", "sdk-sts-token");

    @TempDir
    Path dir;
    PolarDbSimulator simulator;

    @BeforeEach
    void start() throws Exception {
        simulator = new PolarDbSimulator(Clock.systemUTC()).withCredential(AK).withCredential(STS)
                .withCredential(Harness.CREDENTIAL)
                .withTasks(new TaskGenerator(Harness.MAPPER).generate(11, List.of("cn-hangzhou", "cn-beijing"), 256,
                        Instant.now()))
                .start();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private Client sdk(ApiCredential credential, String signatureAlgorithm) throws Exception {
        Config config = new Config()
                .setAccessKeyId(credential.accessKeyId())
                .setAccessKeySecret(credential.accessKeySecret())
                .setEndpoint("127.0.0.1:" + simulator.endpoint().getPort())
                .setProtocol("HTTP")
                .setRegionId("cn-hangzhou");
        if (credential.temporary()) {
            config.setSecurityToken(credential.securityToken());
        }
        if (signatureAlgorithm != null) {
            config.setSignatureAlgorithm(signatureAlgorithm);
        }
        return new Client(config);
    }

    @SuppressWarnings("unchecked")
    private Set<Long> listWithSdk(Client client, String region) throws Exception {
        Params params = new Params().setAction("DescribeActiveOperationTasks").setVersion("2017-08-01")
                .setProtocol("HTTP").setPathname("/").setMethod("POST").setAuthType("AK").setStyle("RPC")
                .setReqBodyType("formData").setBodyType("json");
        Set<Long> ids = new HashSet<>();
        for (int page = 1; page < 100; page++) {
            OpenApiRequest request = new OpenApiRequest().setQuery(Map.of("RegionId", region, "TaskType", "all",
                    "PageSize", "30", "PageNumber", Integer.toString(page)));
            Map<String, ?> response = client.callApi(params, request, new RuntimeOptions());
            Map<String, Object> body = (Map<String, Object>) response.get("body");
            List<Map<String, Object>> items = (List<Map<String, Object>>) body.get("Items");
            items.forEach(i -> ids.add(((Number) i.get("TaskId")).longValue()));
            long total = ((Number) body.get("TotalRecordCount")).longValue();
            if (items.isEmpty() || (long) page * 30 >= total) {
                break;
            }
        }
        return ids;
    }

    private Set<Long> listWithOurClient(String region) throws Exception {
        Map<String, String> settings = Harness.settings(simulator, dir);
        settings.put("polardb.regions", region);
        settings.put("alert.change-levels", "S0,S1");
        settings.put("alert.statuses", "0,1,2,3,4,5,6,7");
        settings.put("alert.deadline-window", "36500d");
        assertThat(Harness.runOnce(settings).ok()).isTrue();
        return Harness.alerts(dir).stream().map(a -> a.get("taskId").asLong()).collect(Collectors.toSet());
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({"V3,AK", "V3,STS", "v2,AK", "v2,STS"})
    void the_official_sdk_is_accepted_and_sees_the_same_tasks_as_our_client(String algorithm, String kind)
            throws Exception {
        Client client = sdk(kind.equals("AK") ? AK : STS, algorithm.equals("V3") ? null : algorithm);

        Set<Long> sdkView = listWithSdk(client, "cn-beijing");

        assertThat(sdkView).hasSize(256);
        assertThat(listWithOurClient("cn-beijing")).isEqualTo(sdkView);
    }

    @Test
    void the_simulator_rejects_the_official_sdk_with_a_wrong_secret() throws Exception {
        Client client = sdk(new ApiCredential(AK.accessKeyId(), "not-the-secret", null), null);

        assertThatThrownBy(() -> listWithSdk(client, "cn-hangzhou"))
                .isInstanceOf(TeaException.class)
                .satisfies(e -> assertThat(((TeaException) e).getCode()).isEqualTo("SignatureDoesNotMatch"));
    }

    @Test
    void the_simulator_rejects_an_sts_request_with_another_token() throws Exception {
        Client client = sdk(new ApiCredential(STS.accessKeyId(), STS.accessKeySecret(), "stolen-token"), "v2");

        assertThatThrownBy(() -> listWithSdk(client, "cn-hangzhou"))
                .isInstanceOf(TeaException.class)
                .satisfies(e -> assertThat(((TeaException) e).getCode())
                        .isEqualTo("InvalidSecurityToken.MismatchWithAccessKey"));
    }
}
