package dev.porta.spi;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link ExchangeObserver} learns about one finished exchange. Immutable.
 *
 * <p>A final class built by the core through {@link #builder()}, not a record, so that later 1.x versions
 * can add to it without breaking a compiled plugin. Tests build their own the same way.
 */
public final class CompletedExchange {

    private final Request request;
    private final String requestLine;
    private final InetSocketAddress client;
    private final int status;
    private final Headers responseHeaders;
    private final long bodyBytes;
    private final Instant started;
    private final Duration duration;
    private final Attributes attributes;
    private final boolean cutShort;
    private final String answeredBy;

    private CompletedExchange(Builder b) {
        this.request = b.request;
        this.requestLine = Objects.requireNonNull(b.requestLine, "requestLine");
        this.client = Objects.requireNonNull(b.client, "client");
        this.status = b.status;
        this.responseHeaders = Objects.requireNonNull(b.responseHeaders, "responseHeaders");
        this.bodyBytes = b.bodyBytes;
        this.started = Objects.requireNonNull(b.started, "started");
        this.duration = Objects.requireNonNull(b.duration, "duration");
        this.attributes = Objects.requireNonNull(b.attributes, "attributes");
        this.cutShort = b.cutShort;
        this.answeredBy = b.answeredBy;
    }

    /** A builder (the core builds every exchange an observer sees; tests build their own). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The parsed request; empty when the request could not be parsed (then the core answered it itself,
     * e.g. 400, 414, 431, or 503 when full).
     */
    public Optional<Request> request() {
        return Optional.ofNullable(request);
    }

    /**
     * The first line as received, ISO-8859-1 decoded, without CRLF; as much of it as was read when it was
     * malformed; empty if none arrived.
     */
    public String requestLine() {
        return requestLine;
    }

    /** The client's address (see {@link Request#client()}). */
    public InetSocketAddress client() {
        return client;
    }

    /** The status code sent (or being sent, when {@link #cutShort()}). */
    public int status() {
        return status;
    }

    /** The header fields sent, the core's own included. */
    public Headers responseHeaders() {
        return responseHeaders;
    }

    /** The number of body bytes sent (0 for HEAD and for 304); when cut short, only those the socket took. */
    public long bodyBytes() {
        return bodyBytes;
    }

    /** When the first byte of the request was read. */
    public Instant started() {
        return started;
    }

    /** From the first byte read to the last byte written (or to the failure, when cut short). */
    public Duration duration() {
        return duration;
    }

    /** The exchange's attributes (for instance {@link Attributes#USER}). */
    public Attributes attributes() {
        return attributes;
    }

    /**
     * Whether the response did not go out whole: the client went away or stopped reading, a write timed
     * out, or the grace time at shutdown ran out. Then {@link #status()} is the one that was (or was being)
     * sent and {@link #bodyBytes()} counts only the body bytes the socket accepted.
     */
    public boolean cutShort() {
        return cutShort;
    }

    /**
     * The id of the plugin whose handler answered: the one that returned this response, or the last one
     * that changed it on its way back up the chain. Empty when the core answered (a malformed request,
     * {@code OPTIONS *}, a full server) or no handler took the request.
     */
    public Optional<String> answeredBy() {
        return Optional.ofNullable(answeredBy);
    }

    /** For logs. */
    @Override
    public String toString() {
        return (requestLine.isEmpty() ? "-" : requestLine) + " -> " + status + " " + bodyBytes + (cutShort ? " (cut short)" : "");
    }

    /**
     * Builds a {@link CompletedExchange}. Required: the client address; the rest defaults to no request, an
     * empty request line, status 200, no headers, 0 bytes, now, zero duration, fresh attributes, not cut
     * short, answered by the core. Not thread-safe.
     */
    public static final class Builder {
        private Request request;
        private String requestLine = "";
        private InetSocketAddress client;
        private int status = 200;
        private Headers responseHeaders = Headers.EMPTY;
        private long bodyBytes;
        private Instant started;
        private Duration duration = Duration.ZERO;
        private Attributes attributes;
        private boolean cutShort;
        private String answeredBy;

        private Builder() {
        }

        /** The request, or null when it could not be parsed; also sets the client and attributes from it. */
        public Builder request(Request request) {
            this.request = request;
            if (request != null) {
                if (client == null) client = request.client();
                if (attributes == null) attributes = request.attributes();
            }
            return this;
        }

        /** The first line as received. */
        public Builder requestLine(String requestLine) {
            this.requestLine = requestLine;
            return this;
        }

        /** The client's address. */
        public Builder client(InetSocketAddress client) {
            this.client = client;
            return this;
        }

        /** The status sent. */
        public Builder status(int status) {
            this.status = status;
            return this;
        }

        /** The header fields sent. */
        public Builder responseHeaders(Headers responseHeaders) {
            this.responseHeaders = responseHeaders;
            return this;
        }

        /** The body bytes sent. */
        public Builder bodyBytes(long bodyBytes) {
            this.bodyBytes = bodyBytes;
            return this;
        }

        /** When the request's first byte was read. */
        public Builder started(Instant started) {
            this.started = started;
            return this;
        }

        /** How long the exchange took. */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /** The attributes. */
        public Builder attributes(Attributes attributes) {
            this.attributes = attributes;
            return this;
        }

        /** Whether the response did not go out whole. */
        public Builder cutShort(boolean cutShort) {
            this.cutShort = cutShort;
            return this;
        }

        /** The id of the plugin that answered, or null for the core. */
        public Builder answeredBy(String pluginId) {
            this.answeredBy = pluginId;
            return this;
        }

        /** The exchange. */
        public CompletedExchange build() {
            if (started == null) started = Instant.now();
            if (attributes == null) attributes = new Attributes();
            return new CompletedExchange(this);
        }
    }
}
