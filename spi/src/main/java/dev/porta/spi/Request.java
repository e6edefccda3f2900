package dev.porta.spi;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * An HTTP request as a handler sees it. Immutable, except for its {@link #attributes()} and the body
 * stream; {@link #withPath(String)} makes a changed copy to pass down the chain.
 *
 * @param method     the method token as sent, e.g. {@code GET} (methods are case-sensitive)
 * @param target     the request target exactly as sent, e.g. {@code /a%20b/?x=1}
 * @param path       the path, percent-decoded once, checked as UTF-8 and normalised by the core: it
 *                   starts with {@code /}, has no {@code .} or {@code ..} segment, no empty segment, no
 *                   NUL and no backslash. Plugins match and map this, and never decode it again.
 * @param query      the raw query after {@code ?} (not decoded), or the empty string if there is none
 * @param version    {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers    the header fields
 * @param client     the client's address: the peer, or, when the peer is a trusted proxy
 *                   ({@code server.trusted-proxies}), the address it forwarded
 * @param local      the local address the request arrived on
 * @param body       the request body; empty when there is none. What a handler does not read, the core
 *                   drains after the response so that the connection stays in step.
 * @param attributes the values this exchange carries from handler to handler and to the observers
 */
public record Request(String method, String target, String path, String query, String version,
                      Headers headers, InetSocketAddress client, InetSocketAddress local,
                      InputStream body, Attributes attributes) {

    public Request {
        if (method == null || target == null || path == null || query == null || version == null
                || headers == null || client == null || local == null || body == null || attributes == null) {
            throw new IllegalArgumentException("every request component is required");
        }
    }

    /** The first value of the header field {@code name}, if present. */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** Whether this is a {@code HEAD} request: the core will send headers only. */
    public boolean isHead() {
        return method.equals("HEAD");
    }

    /**
     * A copy that maps to another path (for a handler that rewrites before passing on). The new path must
     * be normalised the way {@link #path()} is.
     *
     * @throws IllegalArgumentException if {@code newPath} is not a normalised absolute path
     */
    public Request withPath(String newPath) {
        if (!isNormalised(newPath)) throw new IllegalArgumentException("not a normalised path: " + newPath);
        return new Request(method, target, newPath, query, version, headers, client, local, body, attributes);
    }

    /** A copy with these header fields instead. */
    public Request withHeaders(Headers newHeaders) {
        return new Request(method, target, path, query, version, newHeaders, client, local, body, attributes);
    }

    private static boolean isNormalised(String p) {
        if (p == null || !p.startsWith("/") || p.indexOf('\0') >= 0 || p.indexOf('\\') >= 0) return false;
        if (p.contains("//")) return false;
        for (String segment : p.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) return false;
        }
        return true;
    }
}
