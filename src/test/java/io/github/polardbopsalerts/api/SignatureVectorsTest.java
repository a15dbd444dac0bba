package io.github.polardbopsalerts.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Alibaba's published signature examples and the PolarDB vectors of shared/reference/alibaba-openapi-signing.md
 * (V3-DOC from help.aliyun.com "V3 request structure and signature"; V1-DOC from "rpc-mechanism"; P1-P6
 * computed there by Alibaba's SDK utilities), reproduced byte for byte.
 */
class SignatureVectorsTest {

    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void reproduces_alibabas_official_v3_worked_example() {
        Map<String, String> query = Map.of("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
                "RegionId", "cn-shanghai");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "ecs.cn-shanghai.aliyuncs.com");
        headers.put("x-acs-action", "RunInstances");
        headers.put("x-acs-version", "2014-05-26");
        headers.put("x-acs-date", "2023-10-26T10:22:32Z");
        headers.put("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d");
        headers.put("x-acs-content-sha256", EMPTY);

        String canonical = AcsV3Signature.canonicalRequest("POST", "/", query, headers, EMPTY);
        assertThat(canonical).isEqualTo("POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"
                + "&RegionId=cn-shanghai\nhost:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n"
                + "x-acs-content-sha256:" + EMPTY + "\nx-acs-date:2023-10-26T10:22:32Z\n"
                + "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n"
                + "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" + EMPTY);
        String stringToSign = AcsV3Signature.stringToSign(canonical);
        assertThat(stringToSign)
                .isEqualTo("ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
        String signature = AcsV3Signature.signature("YourAccessKeySecret", stringToSign);
        assertThat(signature).isEqualTo("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
        assertThat(AcsV3Signature.authorization("YourAccessKeyId", headers, signature)).isEqualTo(
                "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;"
                        + "x-acs-date;x-acs-signature-nonce;x-acs-version,"
                        + "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    }

    @Test
    void reproduces_alibabas_sdk_unit_test_vector_with_an_empty_query_value() {
        Map<String, String> query = new TreeMap<>(Map.of("test", "ok", "empty", ""));
        Map<String, String> headers = Map.of("x-acs-test", "http");
        String payload = "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23";
        String canonical = AcsV3Signature.canonicalRequest("GET", "/", query, headers, payload);
        assertThat(canonical).isEqualTo("GET\n/\nempty=&test=ok\nx-acs-test:http\n\nx-acs-test\n" + payload);
        assertThat(AcsV3Signature.signature("secret", AcsV3Signature.stringToSign(canonical)))
                .isEqualTo("02e81f9f3cc8839151b0c7278024cbc4bfc9fa786085a0b8305f825f17b5dae7");
    }

    @Test
    void signs_polardb_p1_with_an_access_key() {
        Map<String, String> headers = AcsV3Signature.signedHeaders("POST", "polardb.aliyuncs.com",
                "DescribeActiveOperationTasks", "2017-08-01",
                Map.of("RegionId", "cn-hangzhou", "TaskType", "all", "PageNumber", "1", "PageSize", "100"),
                new ApiCredential("testid", "testsecret", null), Instant.parse("2025-01-01T00:00:00Z"),
                "0123456789abcdef0123456789abcdef");
        assertThat(headers.get("authorization")).isEqualTo("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;"
                + "x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
                + "Signature=d63657e01551158a7b0b82a34ea33267063a98eace38ff4b21f7173b037d545f");
        assertThat(headers).doesNotContainKey("x-acs-security-token");
    }

    @Test
    void signs_polardb_p2_with_an_sts_token_sent_as_a_signed_header() {
        Map<String, String> headers = AcsV3Signature.signedHeaders("POST", "polardb.aliyuncs.com",
                "DescribeActiveOperationTasks", "2017-08-01",
                Map.of("RegionId", "cn-hangzhou", "TaskType", "all", "PageNumber", "1", "PageSize", "100"),
                new ApiCredential("testid", "testsecret", "testtoken"), Instant.parse("2025-01-01T00:00:00Z"),
                "0123456789abcdef0123456789abcdef");
        assertThat(headers).containsEntry("x-acs-security-token", "testtoken");
        assertThat(headers.get("authorization")).isEqualTo("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;"
                + "x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;"
                + "x-acs-version,Signature=8e5899216d362a2a2bdfdd3a0a414d05659633ae39ce240bf3cf6bc49ec3b625");
    }

    @Test
    void signs_polardb_p3_with_characters_that_need_encoding() {
        Map<String, String> query = Map.of("RegionId", "cn-hangzhou", "Status", "-1",
                "DBClusterId", "pc-a b*c~d/\u00e9'(!)");
        assertThat(Percent.canonicalQuery(query))
                .isEqualTo("DBClusterId=pc-a%20b%2Ac~d%2F%C3%A9%27%28%21%29&RegionId=cn-hangzhou&Status=-1");
        Map<String, String> headers = AcsV3Signature.signedHeaders("POST", "polardb.cn-hangzhou.aliyuncs.com",
                "DescribeActiveOperationTasks", "2017-08-01", query, new ApiCredential("testid", "testsecret", null),
                Instant.parse("2025-01-01T00:00:00Z"), "0123456789abcdef0123456789abcdef");
        assertThat(headers.get("authorization"))
                .endsWith("Signature=3c9f7252fa7ac12e8e7b8dcc9cd14b960a5340fd8b65c42292a5c1a7b43e856d");
    }

    @Test
    void percent_encodes_as_alibabas_sdk_does() {
        assertThat(Percent.encode(" a!*'()~/\u00e9")).isEqualTo("%20a%21%2A%27%28%29~%2F%C3%A9");
        assertThat(Percent.encode("a/b/c/ test")).isEqualTo("a%2Fb%2Fc%2F%20test");
        assertThat(Percent.decode("a%2Fb%2Fc%2F%20test+%C3%A9")).isEqualTo("a/b/c/ test+\u00e9");
    }

    @Test
    void reproduces_alibabas_official_rpc_v1_worked_example() {
        Map<String, String> params = new TreeMap<>();
        params.put("Timestamp", "2016-02-23T12:46:24Z");
        params.put("Format", "XML");
        params.put("AccessKeyId", "testid");
        params.put("Action", "DescribeRegions");
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        params.put("Version", "2014-05-26");
        params.put("SignatureVersion", "1.0");
        String stringToSign = RpcV1Signature.stringToSign("GET", params);
        assertThat(stringToSign).isEqualTo("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
                + "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
                + "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26");
        assertThat(RpcV1Signature.signature("testsecret", stringToSign)).isEqualTo("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");

        params.remove("Timestamp");
        params.put("TimeStamp", "2016-02-23T12:46:24Z");
        assertThat(RpcV1Signature.signature("testsecret", RpcV1Signature.stringToSign("GET", params)))
                .isEqualTo("CT9X0VtwR86fNWSnsc6v8YGOjuE=");
    }

    @Test
    void reproduces_rpc_v1_sdk_and_polardb_vectors() {
        assertThat(RpcV1Signature.signature("secret",
                RpcV1Signature.stringToSign("GET", Map.of("query", "test", "body", "test"))))
                .isEqualTo("XlUyV4sXjOuX5FnjUz9IF9tm5rU=");

        Map<String, String> p = new TreeMap<>();
        p.put("AccessKeyId", "testid");
        p.put("Action", "DescribeActiveOperationTasks");
        p.put("Version", "2017-08-01");
        p.put("Format", "JSON");
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureVersion", "1.0");
        p.put("SignatureNonce", "0123456789abcdef0123456789abcdef");
        p.put("Timestamp", "2025-01-01T00:00:00Z");
        p.put("RegionId", "cn-hangzhou");
        p.put("TaskType", "all");
        p.put("PageNumber", "1");
        p.put("PageSize", "100");
        assertThat(RpcV1Signature.signature("testsecret", RpcV1Signature.stringToSign("GET", p)))
                .as("P4").isEqualTo("4Qcmv3FUcVffZs1U4oHNX9uDdIE=");
        assertThat(RpcV1Signature.signature("testsecret", RpcV1Signature.stringToSign("POST", p)))
                .as("P6").isEqualTo("HW5/lYyCGBtCGNNu/kRnxW+I6DM=");
        p.put("SecurityToken", "testtoken");
        assertThat(RpcV1Signature.signature("testsecret", RpcV1Signature.stringToSign("GET", p)))
                .as("P5").isEqualTo("JJoLExtml5x33VkGgkQ28dAHP2c=");
    }
}
