package io.github.polardbopsalerts.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

/** RFC 3986 percent-encoding and canonical query strings as Alibaba Cloud's signature rules define them. */
public final class Percent {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Percent() {
    }

    /** Encodes every byte of the UTF-8 form except A-Z a-z 0-9 - _ . ~ as %XY (upper-case hex). */
    public static String encode(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /** Decodes %XY escapes (and nothing else: '+' stays '+') into UTF-8 text. */
    public static String decode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        byte[] out = new byte[value.length()];
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()) {
                int hi = Character.digit(value.charAt(i + 1), 16);
                int lo = Character.digit(value.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out[n++] = (byte) ((hi << 4) + lo);
                    i += 2;
                    continue;
                }
            }
            byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            for (byte b : raw) {
                out[n++] = b;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** Sorted by name in byte order, each name and value encoded, joined with '&'; an empty value gives "name=". */
    public static String canonicalQuery(Map<String, String> params) {
        SortedMap<String, String> sorted = params instanceof SortedMap<String, String> s && s.comparator() == null
                ? s : new TreeMap<>(params);
        StringJoiner joined = new StringJoiner("&");
        sorted.forEach((k, v) -> joined.add(encode(k) + "=" + encode(v == null ? "" : v)));
        return joined.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~';
    }
}
