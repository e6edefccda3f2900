package dev.porta.plugins.requestlog;

import dev.porta.spi.Attributes;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.Request;
import java.time.format.DateTimeFormatter;

/**
 * One JSON object per line, for log shippers: time (ISO-8601 UTC), client, user, method, path, query,
 * protocol, request (the raw first line), status, bytes, duration_us, referer, user_agent. Absent values
 * are {@code null}.
 */
final class JsonLinesFormat implements LogFormat {

    @Override
    public String format(CompletedExchange e) {
        StringBuilder out = new StringBuilder(256).append('{');
        field(out, "time", DateTimeFormatter.ISO_INSTANT.format(e.started().plus(e.duration())));
        field(out, "client", e.client().getAddress().getHostAddress());
        field(out, "user", e.attributes().get(Attributes.USER).orElse(null));
        field(out, "method", e.request().map(Request::method).orElse(null));
        field(out, "path", e.request().map(Request::path).orElse(null));
        field(out, "query", e.request().map(Request::query).filter(q -> !q.isEmpty()).orElse(null));
        field(out, "protocol", e.request().map(Request::version).orElse(null));
        field(out, "request", e.requestLine().isEmpty() ? null : e.requestLine());
        out.append("\"status\":").append(e.status()).append(',');
        out.append("\"bytes\":").append(e.bodyBytes()).append(',');
        out.append("\"duration_us\":").append(e.duration().toNanos() / 1000).append(',');
        field(out, "referer", e.request().flatMap(r -> r.header("Referer")).orElse(null));
        String agent = e.request().flatMap(r -> r.header("User-Agent")).orElse(null);
        out.append("\"user_agent\":");
        string(out, agent);
        return out.append('}').toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append('"').append(name).append("\":");
        string(out, value);
        out.append(',');
    }

    private static void string(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
