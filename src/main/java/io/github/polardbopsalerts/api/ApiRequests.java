package io.github.polardbopsalerts.api;

import io.github.polardbopsalerts.config.Settings;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns the exchange's region and page number into a signed DescribeActiveOperationTasks request for
 * camel-http: POST to /, every parameter in the query string, V3 headers.
 */
public final class ApiRequests {

    public static final String ACTION = "DescribeActiveOperationTasks";
    public static final String VERSION = "2017-08-01";
    public static final String USER_AGENT = "polardb-ops-alerts/0.1";

    private static final java.util.Set<String> REDELIVERY_STATE = java.util.Set.of(Exchange.REDELIVERED,
            Exchange.REDELIVERY_COUNTER, Exchange.REDELIVERY_MAX_COUNTER);

    private final Settings settings;
    private final CredentialSource credentials;
    private final Clock clock;
    private final String host;
    private final SecureRandom random = new SecureRandom();

    public ApiRequests(Settings settings, CredentialSource credentials, Clock clock) {
        this.settings = settings;
        this.credentials = credentials;
        this.clock = clock;
        this.host = hostOf(settings.endpoint());
    }

    /** The Host header HttpClient sends for this endpoint: the host, and the port when the URL names one. */
    static String hostOf(String endpoint) {
        URI uri = URI.create(endpoint);
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** The query parameters of one page of one region. */
    public Map<String, String> query(String region, int pageNumber) {
        return query(region, pageNumber, false);
    }

    /** For the archive, every task: TaskType all and Status -1, none of the alerting filters. */
    public Map<String, String> query(String region, int pageNumber, boolean archive) {
        Map<String, String> q = new TreeMap<>(archive ? Map.of("TaskType", "all", "Status", "-1")
                : settings.requestFilters());
        q.put("RegionId", region);
        q.put("PageNumber", Integer.toString(pageNumber));
        q.put("PageSize", Integer.toString(settings.pageSize()));
        return q;
    }

    /** Replaces the message with the signed request; a fresh date and nonce each time, so retries sign anew. */
    public void prepare(Exchange exchange) {
        String region = exchange.getProperty(Exchanges.REGION, String.class);
        int page = exchange.getProperty(Exchanges.PAGE_NUMBER, Integer.class);
        Map<String, String> query = query(region, page,
                Boolean.TRUE.equals(exchange.getProperty(Exchanges.ARCHIVE, Boolean.class)));
        Map<String, String> headers = AcsV3Signature.signedHeaders("POST", host, ACTION, VERSION, query,
                credentials.current(), clock.instant(), nonce());
        Message in = exchange.getMessage();
        // Drop the previous answer's headers; keep the error handler's attempt counters, which live in headers.
        in.getHeaders().keySet().removeIf(name -> !REDELIVERY_STATE.contains(name));
        in.setBody(null);
        headers.forEach((k, v) -> {
            if (!k.equals("host")) {
                in.setHeader(k, v);
            }
        });
        in.setHeader("user-agent", USER_AGENT);
        in.setHeader("accept", "application/json");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader(Exchange.HTTP_QUERY, Percent.canonicalQuery(query));
    }

    private String nonce() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
