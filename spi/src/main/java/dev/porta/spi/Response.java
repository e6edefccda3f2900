package dev.porta.spi;

/**
 * An HTTP response as a handler returns it: status, header fields and body. Immutable; the
 * {@code with…} methods return a changed copy, so a handler that wraps the chain can add a header to
 * what came back.
 *
 * <p>The core adds {@code Date}, {@code Server}, {@code Content-Length} or {@code Transfer-Encoding}, and
 * {@code Connection}; a handler sets none of these. An error status (400 and above) with an empty body is
 * given the configured error page by the core.
 *
 * @param status  the status code, 100–599
 * @param headers the header fields the handler sets
 * @param body    the body; {@link Body#empty()} for none
 * @param handled {@code false} only for {@link #notHandled()}: the end of the chain was reached
 */
public record Response(int status, Headers headers, Body body, boolean handled) {

    private static final Response NOT_HANDLED = new Response(404, Headers.EMPTY, Body.empty(), false);

    public Response {
        if (status < 100 || status > 599) throw new IllegalArgumentException("status out of range: " + status);
        if (headers == null || body == null) throw new IllegalArgumentException("headers and body are required");
    }

    /** A response with this status, no headers and no body. */
    public static Response of(int status) {
        return new Response(status, Headers.EMPTY, Body.empty(), true);
    }

    /**
     * What the end of the chain answers when no handler took the request: a 404 whose
     * {@link #handled()} is {@code false}. A handler that passed the request on can test this to tell
     * "nobody serves this" from a real 404 or a refusal.
     */
    public static Response notHandled() {
        return NOT_HANDLED;
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

    /** A copy with this body instead. */
    public Response withBody(Body newBody) {
        return new Response(status, headers, newBody, true);
    }

    /** A copy with this status instead. */
    public Response withStatus(int newStatus) {
        return new Response(newStatus, headers, body, true);
    }
}
