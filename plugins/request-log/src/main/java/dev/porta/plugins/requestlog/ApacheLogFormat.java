package dev.porta.plugins.requestlog;

import dev.porta.spi.Attributes;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.Request;
import dev.porta.spi.TlsInfo;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A line built from Apache {@code LogFormat} directives: {@code %h %a %l %u %t %r %m %U %q %H %s %>s %b
 * %B %D %T %{NAME}i %{NAME}o %{SSL_PROTOCOL}x %{SSL_CIPHER}x %%} ({@code -} for {@code x} over plain HTTP). Every value is escaped as nginx does ({@link LogEscape}); a missing one
 * is {@code -}. Headers that carry secrets (Authorization, Cookie …) cannot be logged.
 */
final class ApacheLogFormat implements LogFormat {

    /** nginx's {@code combined}: {@code $body_bytes_sent} is 0, not "-", for no body. */
    static final String COMBINED = "%h - %u %t \"%r\" %>s %B \"%{Referer}i\" \"%{User-Agent}i\"";

    /** Headers never written to a log: they carry passwords and session secrets. */
    static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US);

    /** One directive or literal; {@code second} is the exchange's end in epoch seconds. */
    @FunctionalInterface
    private interface Part {
        void append(CompletedExchange e, long second, StringBuilder out);
    }

    private final Part[] parts;

    private ApacheLogFormat(List<Part> parts) {
        this.parts = parts.toArray(new Part[0]);
    }

    /**
     * Parses a format string.
     *
     * @throws IllegalArgumentException naming the directive that is unknown or not allowed
     */
    static ApacheLogFormat parse(String pattern, ZoneId zone) {
        List<Part> parts = new ArrayList<>();
        SecondFormatter formatter = new SecondFormatter(zone);
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (i + 1 >= pattern.length()) throw new IllegalArgumentException("a lone % at the end");
            char d = pattern.charAt(++i);
            if (d == '%') {
                literal.append('%');
                continue;
            }
            if (!literal.isEmpty()) {
                String text = literal.toString();
                parts.add((e, t, out) -> out.append(text));
                literal.setLength(0);
            }
            if (d == '>') {
                if (i + 1 >= pattern.length() || pattern.charAt(i + 1) != 's') throw new IllegalArgumentException("%> must be %>s");
                d = pattern.charAt(++i);
            }
            if (d == '{') {
                int close = pattern.indexOf('}', i);
                if (close < 0 || close + 1 >= pattern.length()) throw new IllegalArgumentException("unclosed %{...}");
                String name = pattern.substring(i + 1, close);
                char kind = pattern.charAt(close + 1);
                i = close + 1;
                if (SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("%{" + name + "}" + kind + " would write secrets into the log");
                }
                parts.add(switch (kind) {
                    case 'i' -> (e, t, out) -> {
                        Request r = e.request().orElse(null); // no lambda per line, as flatMap would take
                        raw(r == null ? null : r.header(name).orElse(null), out);
                    };
                    case 'o' -> (e, t, out) -> raw(e.responseHeaders().first(name).orElse(null), out);
                    case 'x' -> tls(name);
                    default -> throw new IllegalArgumentException("%{" + name + "}" + kind + ": only i, o and x are supported");
                });
                continue;
            }
            parts.add(directive(d, formatter));
        }
        if (!literal.isEmpty()) {
            String text = literal.toString();
            parts.add((e, t, out) -> out.append(text));
        }
        return new ApacheLogFormat(parts);
    }

    /** mod_ssl's variables: the TLS protocol and cipher suite of the connection. */
    private static Part tls(String name) {
        return switch (name) {
            case "SSL_PROTOCOL" -> (e, t, out) -> raw(e.request().flatMap(Request::tls).map(TlsInfo::protocol).orElse(null), out);
            case "SSL_CIPHER" -> (e, t, out) -> raw(e.request().flatMap(Request::tls).map(TlsInfo::cipherSuite).orElse(null), out);
            default -> throw new IllegalArgumentException("%{" + name + "}x: only SSL_PROTOCOL and SSL_CIPHER are supported");
        };
    }

    private static Part directive(char d, SecondFormatter formatter) {
        return switch (d) {
            case 'h', 'a' -> {
                ClientText clients = new ClientText();
                yield (e, t, out) -> out.append(clients.text(e.client().getAddress()));
            }
            case 'l' -> (e, t, out) -> out.append('-');
            case 'u' -> (e, t, out) -> {
                String user = e.attributes().get(Attributes.USER).orElse(null);
                if (user == null || user.isEmpty()) out.append('-');
                else LogEscape.text(user, out);
            };
            case 't' -> (e, t, out) -> out.append('[').append(formatter.format(t)).append(']');
            case 'r' -> (e, t, out) -> raw(e.requestLine().isEmpty() ? null : e.requestLine(), out);
            case 'm' -> (e, t, out) -> raw(e.request().map(Request::method).orElse(null), out);
            case 'U' -> (e, t, out) -> {
                String path = e.request().map(Request::path).orElse(null);
                if (path == null) out.append('-');
                else LogEscape.text(path, out);
            };
            case 'q' -> (e, t, out) -> {
                String q = e.request().map(Request::query).orElse("");
                if (!q.isEmpty()) LogEscape.raw("?" + q, out);
            };
            case 'H' -> (e, t, out) -> raw(e.request().map(Request::version).orElse(null), out);
            case 's' -> (e, t, out) -> out.append(e.status());
            case 'b' -> (e, t, out) -> {
                if (e.bodyBytes() == 0) out.append('-');
                else out.append(e.bodyBytes());
            };
            case 'B' -> (e, t, out) -> out.append(e.bodyBytes());
            case 'D' -> (e, t, out) -> out.append(e.duration().toNanos() / 1000);
            case 'T' -> (e, t, out) -> out.append(e.duration().toSeconds());
            default -> throw new IllegalArgumentException("unknown directive %" + d);
        };
    }

    /**
     * {@code %t} of one format (one zone): the last second formatted, since lines come many to a second; no
     * date object is made for the others.
     */
    private static final class SecondFormatter {
        private record Formatted(long epochSecond, String text) {
        }

        private final ZoneId zone;
        private volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

        SecondFormatter(ZoneId zone) {
            this.zone = zone;
        }

        String format(long second) {
            Formatted f = last;
            if (f.epochSecond != second) {
                f = new Formatted(second, TIME.format(Instant.ofEpochSecond(second).atZone(zone)));
                last = f;
            }
            return f.text;
        }
    }

    /**
     * {@code %h}: the last client address written as text, since a connection's exchanges, and often many
     * connections, come from one address ({@code getHostAddress} formats it anew on every call).
     */
    private static final class ClientText {
        private record Written(InetAddress address, String text) {
        }

        private volatile Written last = new Written(null, "");

        String text(InetAddress address) {
            Written w = last;
            if (!address.equals(w.address)) {
                w = new Written(address, address.getHostAddress());
                last = w;
            }
            return w.text;
        }
    }

    private static void raw(String value, StringBuilder out) {
        if (value == null || value.isEmpty()) out.append('-');
        else LogEscape.raw(value, out);
    }

    @Override
    public String format(CompletedExchange exchange) {
        Instant started = exchange.started();
        long endNanos = started.getNano() + exchange.duration().toNanos();
        long second = started.getEpochSecond() + Math.floorDiv(endNanos, 1_000_000_000L);
        StringBuilder out = new StringBuilder(256);
        for (Part p : parts) p.append(exchange, second, out);
        return out.toString();
    }
}
