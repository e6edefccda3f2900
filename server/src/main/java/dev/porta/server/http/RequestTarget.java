package dev.porta.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request target split into the path, percent-decoded once and normalised, and the raw query. This is
 * the only place in Porta that decodes a path: every plugin matches the same result.
 *
 * <p>Refused with 400: a target that is neither origin-form ({@code /p?q}) nor absolute-form
 * ({@code http://host/p?q}); a bad percent escape; an encoded {@code /} ({@code %2F}); a backslash, raw or
 * encoded; a NUL; bytes that are not UTF-8 (overlong forms such as {@code %c0%ae} included); a {@code ..}
 * that would climb above {@code /}. Empty and {@code .} segments are dropped, {@code ..} removes the one
 * before it, and a trailing slash is kept.
 *
 * @param path  the decoded, normalised path, starting with {@code /}
 * @param query the raw query, or the empty string
 */
public record RequestTarget(String path, String query) {

    /** Splits and decodes {@code target}. */
    public static RequestTarget parse(String target) {
        String rest = target;
        if (!rest.startsWith("/")) {
            int schemeEnd = rest.indexOf("://");
            String scheme = schemeEnd > 0 ? rest.substring(0, schemeEnd) : "";
            if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
                throw bad("request target is not a path");
            }
            int pathStart = rest.indexOf('/', schemeEnd + 3);
            int queryStart = rest.indexOf('?', schemeEnd + 3);
            if (pathStart < 0 || (queryStart >= 0 && queryStart < pathStart)) {
                rest = "/" + (queryStart >= 0 ? rest.substring(queryStart) : "");
            } else {
                rest = rest.substring(pathStart);
            }
        }
        if (rest.indexOf('#') >= 0) throw bad("fragment in request target");
        int q = rest.indexOf('?');
        String rawPath = q < 0 ? rest : rest.substring(0, q);
        String query = q < 0 ? "" : rest.substring(q + 1);
        return new RequestTarget(normalise(decode(rawPath)), query);
    }

    /**
     * The authority of an absolute-form target ({@code http://host:port/p} → {@code host:port}), which the
     * server uses instead of the {@code Host} field (RFC 9112 §3.2.2); empty for origin-form (and for
     * {@code *}). Userinfo is not taken apart: {@link RequestFraming} refuses an authority that is no host.
     */
    public static java.util.Optional<String> authority(String target) {
        if (target.startsWith("/") || target.equals("*")) return java.util.Optional.empty();
        int schemeEnd = target.indexOf("://");
        if (schemeEnd < 0) return java.util.Optional.empty();
        int start = schemeEnd + 3;
        int end = start;
        while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') end++;
        return java.util.Optional.of(target.substring(start, end));
    }

    /** The origin-form of {@code target}: itself when it is one, else its path and query ({@code /} when it has no path). */
    public static String originForm(String target) {
        java.util.Optional<String> authority = authority(target);
        if (authority.isEmpty()) return target;
        String rest = target.substring(target.indexOf("://") + 3 + authority.get().length());
        return rest.startsWith("/") ? rest : "/" + rest;
    }

    private static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            if (raw.indexOf('\\') >= 0) throw bad("backslash in path");
            return raw;
        }
        byte[] bytes = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) throw bad("bad percent escape");
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw bad("bad percent escape");
                int b = (hi << 4) | lo;
                if (b == '/') throw bad("encoded slash in path");
                bytes[n++] = (byte) b;
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw bad("path is not UTF-8");
        }
    }

    private static String normalise(String path) {
        if (path.indexOf('\0') >= 0) throw bad("NUL in path");
        if (path.indexOf('\\') >= 0) throw bad("backslash in path");
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) < 0x20 || path.charAt(i) == 0x7f) throw bad("control character in path");
        }
        if (isClean(path)) return path;
        List<String> segments = new ArrayList<>();
        String[] parts = path.split("/", -1);
        boolean trailingSlash = false;
        for (int i = 1; i < parts.length; i++) {
            String s = parts[i];
            boolean last = i == parts.length - 1;
            if (s.isEmpty() || s.equals(".")) {
                trailingSlash = last;
            } else if (s.equals("..")) {
                if (segments.isEmpty()) throw bad("path climbs above the root");
                segments.remove(segments.size() - 1);
                trailingSlash = last;
            } else {
                segments.add(s);
                trailingSlash = false;
            }
        }
        StringBuilder sb = new StringBuilder(path.length());
        for (String s : segments) sb.append('/').append(s);
        if (segments.isEmpty() || trailingSlash) sb.append('/');
        return sb.toString();
    }

    /** The common case: no empty, {@code .} or {@code ..} segment, so no copy is needed. */
    private static boolean isClean(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') return false;
        int n = path.length();
        for (int i = 0; i < n; i++) {
            if (path.charAt(i) == '/') {
                int next = i + 1;
                if (next < n && path.charAt(next) == '/') return false;
                if (next < n && path.charAt(next) == '.') {
                    int after = next + 1;
                    if (after == n || path.charAt(after) == '/') return false;
                    if (path.charAt(after) == '.' && (after + 1 == n || path.charAt(after + 1) == '/')) return false;
                }
            }
        }
        return true;
    }

    private static HttpException bad(String detail) {
        return new HttpException(400, "Bad Request", detail);
    }
}
