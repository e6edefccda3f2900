package dev.porta.plugins.status;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The filters of the requests page, from its query: {@code status} (a code or a prefix such as {@code 4}
 * or {@code 4xx}), {@code method}, {@code path} (a part of it), {@code client} (a prefix), {@code user},
 * and {@code limit} (how many to return, at most the ring's size).
 */
record RequestFilter(String status, String method, String path, String client, String user, int limit) {

    /** Parses a query string (may be null or empty). */
    static RequestFilter parse(String query) {
        Map<String, String> q = new HashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    q.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8).strip());
                } catch (IllegalArgumentException e) {
                    // a malformed escape: that filter is ignored
                }
            }
        }
        int limit;
        try {
            limit = Integer.parseInt(q.getOrDefault("limit", "200"));
        } catch (NumberFormatException e) {
            limit = 200;
        }
        return new RequestFilter(q.getOrDefault("status", "").toLowerCase(java.util.Locale.ROOT), q.getOrDefault("method", ""),
                q.getOrDefault("path", ""), q.getOrDefault("client", ""), q.getOrDefault("user", ""), Math.max(1, limit));
    }
}
