package io.github.polardbopsalerts.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The older RPC signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0, called "signature method V2"
 * in help.aliyun.com/en/sdk/product-overview/rpc-mechanism). The simulator verifies it because Alibaba's
 * SDKs can still send it; the daemon itself signs with V3.
 */
public final class RpcV1Signature {

    private RpcV1Signature() {
    }

    /** METHOD&%2F&encode(canonical query of every parameter except Signature). */
    public static String stringToSign(String method, Map<String, String> params) {
        Map<String, String> signed = new TreeMap<>(params);
        signed.remove("Signature");
        return method.toUpperCase(Locale.ROOT) + "&" + Percent.encode("/") + "&"
                + Percent.encode(Percent.canonicalQuery(signed));
    }

    /** Base64 of HMAC-SHA1 keyed with the secret followed by '&'. */
    public static String signature(String secret, String stringToSign) {
        byte[] mac = Hashing.hmac("HmacSHA1", (secret + "&").getBytes(StandardCharsets.UTF_8),
                stringToSign.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac);
    }
}
