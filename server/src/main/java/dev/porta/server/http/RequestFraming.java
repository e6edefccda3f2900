package dev.porta.server.http;

import dev.porta.server.config.Limits;
import dev.porta.spi.Headers;
import java.util.List;
import java.util.Optional;

/**
 * Every decision about where a request ends and what its head must hold, in one place (RFC 9112 §3.2,
 * §6, RFC 9110 §10.1.1): the {@code Host} field, the body's framing from {@code Transfer-Encoding} and
 * {@code Content-Length}, {@code Expect}, and fields that may appear once only. It applies to every request
 * alike, {@code OPTIONS *} included, so that no request's body can be read as another request.
 *
 * <p>Each refusal is a named {@link Rule}, so that a test, a log line and a reader point at the same rule.
 */
public final class RequestFraming {

    /** The rules a request can break here, each with the status it gets. */
    public enum Rule {
        /** HTTP/1.1 without {@code Host}, or more than one (RFC 9112 §3.2). */
        HOST_COUNT(400),
        /** An empty {@code Host} value, as nginx refuses it. */
        HOST_EMPTY(400),
        /** A {@code Host} value with a character no authority has. */
        HOST_INVALID(400),
        /** {@code Authorization} more than once: which one would a plugin check? (as nginx) */
        AUTHORIZATION_REPEATED(400),
        /** {@code Transfer-Encoding} and {@code Content-Length} together: a smuggling attempt (RFC 9112 §6.1). */
        TE_AND_CL(400),
        /** {@code Transfer-Encoding} in an HTTP/1.0 request (RFC 9112 §6.1). */
        TE_IN_HTTP10(400),
        /** A transfer coding that is not a token ({@code chu nked}), or an empty list. */
        TE_MALFORMED(400),
        /** {@code chunked} is not the final coding, or comes twice (RFC 9112 §6.3). */
        TE_NOT_CHUNKED_LAST(400),
        /** A coding before {@code chunked} that Porta does not decode ({@code gzip, chunked}). */
        TE_UNSUPPORTED(501),
        /** A {@code Content-Length} that is not a number, or several that differ (RFC 9112 §6.3). */
        CL_INVALID(400),
        /** A body larger than {@code limits.body-bytes}. */
        BODY_TOO_LARGE(413),
        /** An {@code Expect} other than {@code 100-continue} (RFC 9110 §10.1.1). */
        EXPECT_UNKNOWN(417);

        private final int status;

        Rule(int status) {
            this.status = status;
        }

        /** The status a request that breaks this rule gets. */
        public int status() {
            return status;
        }

        /** The refusal for breaking this rule: its log detail starts with the rule's name. */
        HttpException refusal(String detail) {
            return new HttpException(status, Status.reason(status), name() + ": " + detail);
        }
    }

    /**
     * How the body of a request is framed.
     *
     * @param kind           none, a fixed length, or chunked
     * @param length         the {@code Content-Length} for {@link Kind#FIXED}, else 0
     * @param expectContinue whether the client waits for {@code 100 Continue} before it sends the body
     */
    public record Framing(Kind kind, long length, boolean expectContinue) {

        /** The kinds of body framing. */
        public enum Kind { NONE, FIXED, CHUNKED }

        /** The body, read from {@code in} under {@code limits}. */
        public RequestBody body(HttpInput in, Limits limits) {
            return switch (kind) {
                case NONE -> RequestBody.EMPTY;
                case FIXED -> new FixedLengthBody(in, length);
                case CHUNKED -> new ChunkedBody(in, limits.bodyBytes(), limits.headerBytes());
            };
        }
    }

    private static final Framing NO_BODY = new Framing(Framing.Kind.NONE, 0, false);

    private RequestFraming() {
    }

    /**
     * Checks {@code head} and decides its body's framing.
     *
     * @throws HttpException with the status of the {@link Rule} broken, whose detail starts with its name
     */
    public static Framing of(RequestHead head, long maxBodyBytes) {
        Headers h = head.headers();
        checkHost(head);
        if (h.all("Authorization").size() > 1) throw Rule.AUTHORIZATION_REPEATED.refusal("two Authorization fields");
        Framing framing = bodyFraming(head, maxBodyBytes);
        boolean expectContinue = expectsContinue(head, framing);
        return expectContinue ? new Framing(framing.kind(), framing.length(), true) : framing;
    }

    private static void checkHost(RequestHead head) {
        List<String> hosts = head.headers().all("Host");
        if (head.isHttp10() ? hosts.size() > 1 : hosts.size() != 1) {
            throw Rule.HOST_COUNT.refusal(hosts.isEmpty() ? "no Host" : "more than one Host");
        }
        java.util.Optional<String> authority = RequestTarget.authority(head.target());
        // absolute-form: its authority is the host the request is for, the Host field is ignored (RFC 9112 §3.2.2)
        if (authority.isPresent() && (authority.get().isEmpty() || !isHostAndPort(authority.get()))) {
            throw Rule.HOST_INVALID.refusal("invalid authority in the request target");
        }
        if (hosts.isEmpty()) return;
        String host = hosts.get(0);
        if (host.isEmpty()) throw Rule.HOST_EMPTY.refusal("empty Host");
        if (!isHostAndPort(host)) throw Rule.HOST_INVALID.refusal("invalid Host");
    }

    /**
     * {@code uri-host [ ":" port ]} (RFC 9110 §7.2): an IP literal in brackets, or a name or IPv4 address of
     * unreserved and sub-delim characters and percent escapes without {@code ,} (two Host values folded into
     * one); then an optional port of digits.
     */
    static boolean isHostAndPort(String host) {
        int i = 0;
        int n = host.length();
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 2) return false;
            for (i = 1; i < close; i++) {
                char c = host.charAt(i);
                if (!(isHexDigit(c) || c == ':' || c == '.' || c == 'v' || c == 'V')) return false;
            }
            i = close + 1;
        } else {
            while (i < n && host.charAt(i) != ':') {
                char c = host.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || "-._~!$&'()*+;=%".indexOf(c) >= 0;
                if (!ok) return false;
                i++;
            }
            if (i == 0) return false;
        }
        if (i == n) return true;
        if (host.charAt(i) != ':') return false;
        for (int k = i + 1; k < n; k++) {
            if (host.charAt(k) < '0' || host.charAt(k) > '9') return false;
        }
        if (n - i - 1 > 5) return false;
        return n - i - 1 == 0 || Integer.parseInt(host, i + 1, n, 10) <= 65535;
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** RFC 9112 §6.3, in its order. */
    private static Framing bodyFraming(RequestHead head, long maxBodyBytes) {
        Headers h = head.headers();
        List<String> te = h.all("Transfer-Encoding");
        List<String> cl = h.all("Content-Length");
        if (!te.isEmpty()) {
            if (!cl.isEmpty()) throw Rule.TE_AND_CL.refusal("both Transfer-Encoding and Content-Length");
            if (head.isHttp10()) throw Rule.TE_IN_HTTP10.refusal("Transfer-Encoding in HTTP/1.0");
            List<String> codings = ListField.elements(te);
            if (codings.isEmpty()) throw Rule.TE_MALFORMED.refusal("empty Transfer-Encoding");
            for (String coding : codings) {
                if (!ListField.isToken(coding)) throw Rule.TE_MALFORMED.refusal("transfer coding '" + coding + "' is not a token");
            }
            int last = codings.size() - 1;
            for (int i = 0; i < last; i++) {
                if (codings.get(i).equalsIgnoreCase("chunked")) throw Rule.TE_NOT_CHUNKED_LAST.refusal("chunked before another coding");
            }
            if (!codings.get(last).equalsIgnoreCase("chunked")) throw Rule.TE_NOT_CHUNKED_LAST.refusal("chunked is not the final coding");
            if (last > 0) throw Rule.TE_UNSUPPORTED.refusal("transfer coding " + String.join(", ", codings));
            return new Framing(Framing.Kind.CHUNKED, 0, false);
        }
        if (cl.isEmpty()) return NO_BODY;
        long length = -1;
        for (String value : cl) {
            for (String part : value.split(",", -1)) {
                long n = parseLength(part.strip());
                if (length >= 0 && n != length) throw Rule.CL_INVALID.refusal("differing Content-Length values");
                length = n;
            }
        }
        if (length > maxBodyBytes) throw Rule.BODY_TOO_LARGE.refusal("Content-Length " + length);
        return length == 0 ? NO_BODY : new Framing(Framing.Kind.FIXED, length, false);
    }

    private static long parseLength(String s) {
        if (s.isEmpty() || s.length() > 18) throw Rule.CL_INVALID.refusal("invalid Content-Length");
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') throw Rule.CL_INVALID.refusal("invalid Content-Length");
        }
        return Long.parseLong(s);
    }

    private static boolean expectsContinue(RequestHead head, Framing framing) {
        Optional<String> expect = head.headers().first("Expect");
        if (expect.isEmpty()) return false;
        if (!expect.get().equalsIgnoreCase("100-continue")) throw Rule.EXPECT_UNKNOWN.refusal("Expect: " + expect.get());
        return !head.isHttp10() && framing.kind() != Framing.Kind.NONE;
    }
}
