package dev.porta.spi;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as a handler sees it. Immutable, except for its {@link #attributes()} and the body
 * stream; {@link #withPath(String)} and {@link #withHeaders(Headers)} make a changed copy to pass down the
 * chain.
 *
 * <p>A final class reached through {@link #builder()}, not a record, so that later 1.x versions can add
 * to it without breaking a compiled plugin. Two requests are equal only when they are the same object: a
 * request holds a body stream, and comparing streams means nothing.
 */
public final class Request {

    private final String method;
    private final String target;
    private final String path;
    private final String query;
    private final String version;
    private final String scheme;
    private final Headers headers;
    private final InetSocketAddress client;
    private final InetSocketAddress local;
    private final TlsInfo tls;
    private final InputStream body;
    private final Attributes attributes;

    private Request(Builder b) {
        this.method = require(b.method, "method");
        this.target = require(b.target, "target");
        this.path = require(b.path, "path");
        this.query = require(b.query, "query");
        this.version = require(b.version, "version");
        this.scheme = require(b.scheme, "scheme");
        this.headers = require(b.headers, "headers");
        this.client = require(b.client, "client");
        this.local = require(b.local, "local");
        this.tls = b.tls;
        this.body = require(b.body, "body");
        this.attributes = require(b.attributes, "attributes");
        if (!scheme.equals("http") && !scheme.equals("https")) throw new IllegalArgumentException("scheme must be http or https: " + scheme);
        checkPath(path);
    }

    /** A builder; the core builds every request a handler sees, tests and tools build their own. */
    public static Builder builder() {
        return new Builder();
    }

    /** The method token as sent, e.g. {@code GET} (methods are case-sensitive). */
    public String method() {
        return method;
    }

    /** The request target exactly as sent, e.g. {@code /a%20b/?x=1}. */
    public String target() {
        return target;
    }

    /**
     * The path, percent-decoded once, checked as UTF-8 and normalised by the core: it starts with {@code /},
     * has no {@code .} or {@code ..} segment, no empty segment, no control character (NUL included) and no
     * backslash. Plugins match and map this, and never decode it again.
     */
    public String path() {
        return path;
    }

    /** The raw query after {@code ?} (not decoded), or the empty string if there is none. */
    public String query() {
        return query;
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public String version() {
        return version;
    }

    /**
     * {@code http} or {@code https}: how the client reached Porta. Behind a trusted proxy
     * ({@code server.trusted-proxies}), what its {@code X-Forwarded-Proto} says; from anyone else that
     * header is ignored.
     */
    public String scheme() {
        return scheme;
    }

    /** The header fields. */
    public Headers headers() {
        return headers;
    }

    /**
     * The client's address: the peer, or, when the peer is a trusted proxy ({@code server.trusted-proxies}),
     * the address it forwarded.
     */
    public InetSocketAddress client() {
        return client;
    }

    /** The local address the request arrived on. */
    public InetSocketAddress local() {
        return local;
    }

    /**
     * The TLS protocol and cipher suite of the connection the request came on; empty for plain HTTP (and,
     * behind a TLS-terminating proxy, empty although {@link #scheme()} is {@code https}).
     */
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    /**
     * The request body; empty when there is none. What a handler does not read, the core drains after the
     * response so that the connection stays in step. Do not close it.
     */
    public InputStream body() {
        return body;
    }

    /** The values this exchange carries from handler to handler and to the observers. */
    public Attributes attributes() {
        return attributes;
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
     * A copy that maps to another path (for a handler that rewrites before passing on). The new path must be
     * one the core's decoder could have produced, as {@link #path()} describes.
     *
     * @throws IllegalArgumentException if {@code newPath} is not a normalised absolute path, or holds a
     *                                  control character or a backslash
     */
    public Request withPath(String newPath) {
        return toBuilder().path(newPath).build();
    }

    /** A copy with these header fields instead. */
    public Request withHeaders(Headers newHeaders) {
        return toBuilder().headers(newHeaders).build();
    }

    /** A builder that starts from this request. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.method = method;
        b.target = target;
        b.path = path;
        b.query = query;
        b.version = version;
        b.scheme = scheme;
        b.headers = headers;
        b.client = client;
        b.local = local;
        b.tls = tls;
        b.body = body;
        b.attributes = attributes;
        return b;
    }

    /** For logs: the method and the target. */
    @Override
    public String toString() {
        return method + " " + target;
    }

    /** One pass, no allocation: every request the core builds goes through it. */
    private static void checkPath(String p) {
        int n = p.length();
        if (n == 0 || p.charAt(0) != '/') throw new IllegalArgumentException("not a normalised path: " + p);
        int segmentStart = 1;
        for (int i = 0; i < n; i++) {
            char c = p.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') throw new IllegalArgumentException("control character or backslash in path: " + p);
            if (c == '/' && i > 0) {
                checkSegment(p, segmentStart, i, i + 1 < n);
                segmentStart = i + 1;
            }
        }
        checkSegment(p, segmentStart, n, false);
    }

    /** {@code p[start, end)} is a segment: not {@code .} or {@code ..}, and empty only at the end ({@code /a/}). */
    private static void checkSegment(String p, int start, int end, boolean followed) {
        int len = end - start;
        boolean dots = (len == 1 && p.charAt(start) == '.') || (len == 2 && p.charAt(start) == '.' && p.charAt(start + 1) == '.');
        if (dots || (len == 0 && followed)) throw new IllegalArgumentException("not a normalised path: " + p);
    }

    private static <T> T require(T value, String what) {
        return Objects.requireNonNull(value, () -> "a request needs its " + what);
    }

    /**
     * Builds a {@link Request}. Every part is required except {@link #tls}; the defaults are {@code GET},
     * target and path {@code /}, no query, {@code HTTP/1.1}, {@code http}, no headers, no body, fresh
     * attributes. Not thread-safe.
     */
    public static final class Builder {
        private String method = "GET";
        private String target;
        private String path = "/";
        private String query = "";
        private String version = "HTTP/1.1";
        private String scheme = "http";
        private Headers headers = Headers.EMPTY;
        private InetSocketAddress client;
        private InetSocketAddress local;
        private TlsInfo tls;
        private InputStream body = InputStream.nullInputStream();
        private Attributes attributes;

        private Builder() {
        }

        /** The method token. */
        public Builder method(String method) {
            this.method = method;
            return this;
        }

        /** The target as sent; defaults to the path, plus {@code ?query} when there is one. */
        public Builder target(String target) {
            this.target = target;
            return this;
        }

        /** The decoded, normalised path (checked by {@link #build()}). */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /** The raw query, without {@code ?}. */
        public Builder query(String query) {
            this.query = query;
            return this;
        }

        /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** {@code http} or {@code https}. */
        public Builder scheme(String scheme) {
            this.scheme = scheme;
            return this;
        }

        /** The header fields. */
        public Builder headers(Headers headers) {
            this.headers = headers;
            return this;
        }

        /** The client's address. */
        public Builder client(InetSocketAddress client) {
            this.client = client;
            return this;
        }

        /** The local address; defaults to the client's. */
        public Builder local(InetSocketAddress local) {
            this.local = local;
            return this;
        }

        /** The TLS facts of the connection, or null for plain HTTP. */
        public Builder tls(TlsInfo tls) {
            this.tls = tls;
            return this;
        }

        /** The body stream. */
        public Builder body(InputStream body) {
            this.body = body;
            return this;
        }

        /** The attributes (shared, not copied). */
        public Builder attributes(Attributes attributes) {
            this.attributes = attributes;
            return this;
        }

        /**
         * The request.
         *
         * @throws NullPointerException     when the client address is missing
         * @throws IllegalArgumentException when the path is not normalised or the scheme is not http(s)
         */
        public Request build() {
            if (target == null) target = query.isEmpty() ? String.valueOf(path) : path + "?" + query;
            if (local == null) local = client;
            if (attributes == null) attributes = new Attributes();
            return new Request(this);
        }
    }
}
