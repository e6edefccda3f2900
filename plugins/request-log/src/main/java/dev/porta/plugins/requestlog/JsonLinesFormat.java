package dev.porta.plugins.requestlog;

import dev.porta.spi.Attributes;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.Request;
import dev.porta.spi.TlsInfo;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * One JSON object per line, for log shippers: time (ISO-8601 UTC), client, user, method, path, query,
 * protocol, request (the raw first line), status, bytes, cut_short, duration_us, referer, user_agent,
 * tls_protocol, tls_cipher ({@code null} over plain HTTP).
 * Every line has every key (one schema for the tools that map keys to columns); absent values are
 * {@code null}, and {@code cut_short} is {@code true} when the response did not go out whole.
 *
 * <p>Values received as bytes (request line, query, headers) reach the plugin one char per byte: a run
 * that is valid UTF-8 is written as the characters it encodes, any other byte of 0x80 or more as
 * <code>&#92;u00XX</code>. Values that are text already (the decoded path, the user) are written as they are.
 */
final class JsonLinesFormat implements LogFormat {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public String format(CompletedExchange e) {
        StringBuilder out = new StringBuilder(256).append('{');
        out.append("\"time\":\"");
        DateTimeFormatter.ISO_INSTANT.formatTo(e.started().plus(e.duration()), out);
        out.append("\",");
        field(out, "client", e.client().getAddress().getHostAddress(), false);
        field(out, "user", e.attributes().get(Attributes.USER).orElse(null), false);
        field(out, "method", e.request().map(Request::method).orElse(null), true);
        field(out, "path", e.request().map(Request::path).orElse(null), false);
        field(out, "query", e.request().map(Request::query).filter(q -> !q.isEmpty()).orElse(null), true);
        field(out, "protocol", e.request().map(Request::version).orElse(null), true);
        field(out, "request", e.requestLine().isEmpty() ? null : e.requestLine(), true);
        out.append("\"status\":").append(e.status()).append(',');
        out.append("\"bytes\":").append(e.bodyBytes()).append(',');
        out.append("\"cut_short\":").append(e.cutShort()).append(',');
        out.append("\"duration_us\":").append(e.duration().toNanos() / 1000).append(',');
        field(out, "referer", e.request().flatMap(r -> r.header("Referer")).orElse(null), true);
        field(out, "user_agent", e.request().flatMap(r -> r.header("User-Agent")).orElse(null), true);
        Optional<TlsInfo> tls = e.request().flatMap(Request::tls);
        field(out, "tls_protocol", tls.map(TlsInfo::protocol).orElse(null), false);
        out.append("\"tls_cipher\":");
        string(out, tls.map(TlsInfo::cipherSuite).orElse(null), false);
        return out.append('}').toString();
    }

    private static void field(StringBuilder out, String name, String value, boolean bytes) {
        out.append('"').append(name).append("\":");
        string(out, value, bytes);
        out.append(',');
    }

    /** A JSON string; {@code bytes}: the value is ISO-8859-1-decoded bytes, to be read as UTF-8 where valid. */
    private static void string(StringBuilder out, String value, boolean bytes) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80 || !bytes || c > 0xff) {
                character(c, out);
                continue;
            }
            int length = Utf8.sequenceLength(value, i);
            if (length == 0) {
                unicodeEscape(c, out); // not UTF-8: the byte itself
                continue;
            }
            int codePoint = Utf8.decode(value, i, length);
            if (Character.isBmpCodePoint(codePoint)) character((char) codePoint, out);
            else out.appendCodePoint(codePoint);
            i += length - 1;
        }
        out.append('"');
    }

    private static void character(char c, StringBuilder out) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                // control characters, C1 controls (a terminal reads some as escape sequences), and the
                // two separators JavaScript takes for line ends
                if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') unicodeEscape(c, out);
                else out.append(c);
            }
        }
    }

    private static void unicodeEscape(char c, StringBuilder out) {
        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
    }
}
