package io.github.polardbopsalerts.simulator;

import com.sun.net.httpserver.HttpExchange;
import io.github.polardbopsalerts.api.Percent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What the simulator needs of an HTTP request: method, headers (lower-cased names), parameters, body. */
record SimRequest(String method, Map<String, String> headers, Map<String, String> query,
        Map<String, String> form, byte[] body) {

    static SimRequest of(HttpExchange http, byte[] body) {
        Map<String, String> headers = new TreeMap<>();
        for (Map.Entry<String, List<String>> h : http.getRequestHeaders().entrySet()) {
            if (!h.getValue().isEmpty()) {
                headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().get(0));
            }
        }
        Map<String, String> query = parse(http.getRequestURI().getRawQuery());
        Map<String, String> form = Map.of();
        String type = headers.getOrDefault("content-type", "");
        if (type.startsWith("application/x-www-form-urlencoded") && body.length > 0) {
            form = parse(new String(body, StandardCharsets.UTF_8));
        }
        return new SimRequest(http.getRequestMethod(), headers, query, form, body);
    }

    /** Query and form parameters together, as the API reads them. */
    Map<String, String> params() {
        Map<String, String> all = new LinkedHashMap<>(query);
        all.putAll(form);
        return all;
    }

    String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    String host() {
        return headers.get("host");
    }

    String action() {
        String v3 = header("x-acs-action");
        return v3 != null ? v3 : params().get("Action");
    }

    String version() {
        String v3 = header("x-acs-version");
        return v3 != null ? v3 : params().get("Version");
    }

    private static Map<String, String> parse(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(Percent.decode(name), Percent.decode(value));
        }
        return out;
    }
}
