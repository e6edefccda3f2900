package dev.porta.spi;

import java.util.Objects;

/**
 * An HTTP response as a handler returns it: status, header fields and body. Immutable; the
 * {@code with…} methods return a changed copy, so a handler that wraps the chain can add a header to
 * what came back.
 *
 * <p>The core adds {@code Date}, {@code Server}, {@code Content-Length} or {@code Transfer-Encoding}, and
 * {@code Connection}; a handler sets none of these. An error status (400 and above) with an empty body is
 * given the configured error page by the core.
 *
 * <p>A final class reached through {@link #of(int)}, not a record, so that later 1.x versions can add to
 * it without breaking a compiled plugin. Equal only to itself (a body may be a stream).
 */
public final class Response {

    private static final Response NOT_HANDLED = new Response(404, Headers.EMPTY, Body.empty(), false);

    private final int status;
    private final Headers headers;
    private final Body body;
    private final boolean handled;

    private Response(int status, Headers headers, Body body, boolean handled) {
        if (status < 100 || status > 599) throw new IllegalArgumentException("status out of range: " + status);
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = Objects.requireNonNull(body, "body");
        this.handled = handled;
    }

    /** A response with this status (100–599), no headers and no body. */
    public static Response of(int status) {
        return new Response(status, Headers.EMPTY, Body.empty(), true);
    }

    /** A response with this status (100–599), these header fields and this body. */
    public static Response of(int status, Headers headers, Body body) {
        return new Response(status, headers, body, true);
    }

    /**
     * What the end of the chain answers when no handler took the request: a 404 whose
     * {@link #handled()} is {@code false}. A handler that passed the request on can test this to tell
     * "nobody serves this" from a real 404 or a refusal.
     */
    public static Response notHandled() {
        return NOT_HANDLED;
    }

    /** The status code, 100–599. */
    public int status() {
        return status;
    }

    /** The header fields the handler sets. */
    public Headers headers() {
        return headers;
    }

    /** The body; {@link Body#empty()} for none. */
    public Body body() {
        return body;
    }

    /** {@code false} only for {@link #notHandled()}: the end of the chain was reached. Every copy is handled. */
    public boolean handled() {
        return handled;
    }

    /** A copy with one more header field (an existing field of that name stays). */
    public Response withHeader(String name, String value) {
        return new Response(status, headers.with(name, value), body, true);
    }

    /** A copy in which {@code name} has exactly this one value. */
    public Response withOnlyHeader(String name, String value) {
        return new Response(status, headers.withOnly(name, value), body, true);
    }

    /** A copy with these header fields instead. */
    public Response withHeaders(Headers newHeaders) {
        return new Response(status, newHeaders, body, true);
    }

    /**
     * A copy with this body instead. The body this response had is not closed: a handler that replaces a
     * {@link Body.Stream} it got from the chain closes that stream itself (the core closes only the body it
     * sends).
     */
    public Response withBody(Body newBody) {
        return new Response(status, headers, newBody, true);
    }

    /** A copy with this status instead. */
    public Response withStatus(int newStatus) {
        return new Response(newStatus, headers, body, true);
    }

    /** For logs: the status and the header names. */
    @Override
    public String toString() {
        return "Response " + status + " " + headers;
    }
}
