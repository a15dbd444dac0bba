package io.github.polardbopsalerts.config;

import java.net.URI;
import java.net.URISyntaxException;

/** Webhook URLs are credentials (a token, key or signature in the path or query): show only where they go. */
public final class Urls {

    private Urls() {
    }

    /** Scheme, host, port and the first path segment; the rest of the path and every query value masked. */
    public static String redact(String url) {
        if (url == null || url.isEmpty()) {
            return "";
        }
        try {
            URI u = new URI(url);
            if (u.getHost() == null) {
                return "******";
            }
            StringBuilder s = new StringBuilder().append(u.getScheme()).append("://").append(u.getHost());
            if (u.getPort() > 0) {
                s.append(':').append(u.getPort());
            }
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            String[] segments = path.split("/");
            if (segments.length > 1) {
                s.append('/').append(segments[1]);
                if (segments.length > 2) {
                    s.append("/******");
                }
            }
            if (u.getRawQuery() != null) {
                s.append('?').append(u.getRawQuery().replaceAll("=[^&]*", "=******"));
            }
            return s.toString();
        } catch (URISyntaxException e) {
            return "******";
        }
    }
}
