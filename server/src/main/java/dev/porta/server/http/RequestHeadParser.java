package dev.porta.server.http;

import dev.porta.server.config.Limits;
import dev.porta.spi.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the request line and header fields from bytes, strictly per RFC 9112 §2–§5: single spaces in
 * the request line, a token method, a visible-ASCII target, {@code HTTP/d.d}; field names that are tokens
 * directly followed by a colon; no obs-fold; no control characters in values. Every read is limited.
 */
public final class RequestHeadParser {

    static final String HTTP_1_1 = "HTTP/1.1";
    static final String HTTP_1_0 = "HTTP/1.0";

    /** The methods Porta knows; any other token is answered with 501. */
    public static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    /** Header names that most requests carry, spelt as browsers and proxies do, so as not to make them anew. */
    private static final String[][] COMMON_NAMES = new String[32][];

    static {
        String[] names = {"Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Connection", "Cookie",
            "Referer", "If-None-Match", "If-Modified-Since", "Range", "If-Range", "Content-Length", "Content-Type",
            "Authorization", "Cache-Control", "Pragma", "Origin", "Upgrade-Insecure-Requests", "X-Forwarded-For",
            "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest", "Priority", "DNT", "TE", "Expect", "Transfer-Encoding"};
        java.util.Map<Integer, java.util.List<String>> byLength = new java.util.HashMap<>();
        for (String n : names) {
            byLength.computeIfAbsent(n.length(), k -> new ArrayList<>()).add(n);
            byLength.get(n.length()).add(n.toLowerCase(java.util.Locale.ROOT));
        }
        byLength.forEach((length, list) -> COMMON_NAMES[length] = list.toArray(new String[0]));
    }

    private final Limits limits;
    private String requestLine = "";

    /** A parser for one connection, under these limits. */
    public RequestHeadParser(Limits limits) {
        this.limits = limits;
    }

    /** The request line last read (as much as arrived, when it was bad), for logs. */
    public String requestLine() {
        return requestLine;
    }

    /**
     * Reads one request head.
     *
     * @return the head, or null if the connection ended cleanly before a request began
     * @throws HttpException for a request the core refuses (400, 414, 431, 501, 505, 408)
     */
    public RequestHead read(HttpInput in) throws IOException {
        requestLine = "";
        int len;
        int emptyLines = 0;
        do {
            len = in.readLine(limits.requestLineBytes(), 414);
            if (len < 0) return null;
            // RFC 9112 §2.2: ignore at least one empty line before the request line.
            if (len == 0 && ++emptyLines > 8) throw new HttpException(400, "Bad Request", "too many empty lines");
        } while (len == 0);
        byte[] b = in.buffer();
        int start = in.lineStart();
        requestLine = new String(b, start, len, StandardCharsets.ISO_8859_1);
        RequestLine line = parseRequestLine(b, start, len);
        Headers headers = readFields(in);
        return new RequestHead(line.method, line.target, line.version, headers);
    }

    private record RequestLine(String method, String target, String version) {
    }

    private static RequestLine parseRequestLine(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && ListField.isTchar(b[i] & 0xff)) i++;
        if (i == off || i >= end || b[i] != ' ') throw bad("malformed method in request line");
        String method = new String(b, off, i - off, StandardCharsets.US_ASCII);
        int targetStart = ++i;
        while (i < end && b[i] > 0x20 && b[i] < 0x7f) i++;
        if (i == targetStart || i >= end || b[i] != ' ') throw bad("malformed request target");
        String target = new String(b, targetStart, i - targetStart, StandardCharsets.US_ASCII);
        int v = i + 1;
        if (end - v != 8 || b[v] != 'H' || b[v + 1] != 'T' || b[v + 2] != 'T' || b[v + 3] != 'P' || b[v + 4] != '/'
                || !digit(b[v + 5]) || b[v + 6] != '.' || !digit(b[v + 7])) {
            throw bad("malformed HTTP version");
        }
        if (b[v + 5] != '1') throw new HttpException(505, "HTTP Version Not Supported");
        String version = b[v + 7] == '0' ? HTTP_1_0 : HTTP_1_1;
        if (!KNOWN_METHODS.contains(method)) throw new HttpException(501, "Not Implemented", "unknown method " + method);
        return new RequestLine(method, target, version);
    }

    private Headers readFields(HttpInput in) throws IOException {
        List<String> fields = new ArrayList<>(16);
        int budget = limits.headerBytes();
        while (true) {
            int len = in.readLine(Math.min(budget, limits.headerLineBytes()), 431);
            if (len < 0) throw bad("connection closed in the header block");
            if (len == 0) return Headers.ofList(fields);
            budget -= len + 2;
            if (budget < 0) throw new HttpException(431, "Request Header Fields Too Large");
            if (fields.size() / 2 >= limits.headerCount()) {
                throw new HttpException(431, "Request Header Fields Too Large", "more than " + limits.headerCount() + " fields");
            }
            parseField(in.buffer(), in.lineStart(), len, fields);
        }
    }

    /** Checks one field line (a trailer's, say) as {@link #read} checks a header's. */
    static void checkField(byte[] b, int off, int len) {
        parseField(b, off, len, new ArrayList<>(2));
    }

    private static void parseField(byte[] b, int off, int len, List<String> out) {
        int end = off + len;
        if (b[off] == ' ' || b[off] == '\t') throw bad("obsolete line folding");
        int i = off;
        while (i < end && ListField.isTchar(b[i] & 0xff)) i++;
        if (i == off) throw bad("malformed header field name");
        if (i >= end || b[i] != ':') {
            throw bad(i < end && (b[i] == ' ' || b[i] == '\t') ? "white space before a colon" : "malformed header field");
        }
        String name = name(b, off, i - off);
        int vs = i + 1;
        int ve = end;
        while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) vs++;
        while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) ve--;
        for (int k = vs; k < ve; k++) {
            int c = b[k] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) throw bad("control character in a header value");
        }
        out.add(name);
        out.add(new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1));
    }

    /** The field name at {@code b[off..off+len)}: a shared constant when it is a common one. */
    private static String name(byte[] b, int off, int len) {
        String[] candidates = len < COMMON_NAMES.length ? COMMON_NAMES[len] : null;
        if (candidates != null) {
            outer:
            for (String c : candidates) {
                for (int k = 0; k < len; k++) {
                    if (c.charAt(k) != b[off + k]) continue outer;
                }
                return c;
            }
        }
        return new String(b, off, len, StandardCharsets.US_ASCII);
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static HttpException bad(String detail) {
        return new HttpException(400, "Bad Request", detail);
    }
}
