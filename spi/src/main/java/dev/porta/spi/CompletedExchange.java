package dev.porta.spi;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What an {@link ExchangeObserver} learns about one finished exchange.
 *
 * @param request         the parsed request; empty when the request could not be parsed (then the core
 *                        answered it itself, e.g. 400, 414, 431, or 503 when full)
 * @param requestLine     the first line as received, ISO-8859-1 decoded, without CRLF; as much of it as
 *                        was read when it was malformed; empty if none arrived
 * @param client          the client's address (see {@link Request#client()})
 * @param status          the status code sent
 * @param responseHeaders the header fields sent, the core's own included
 * @param bodyBytes       the number of body bytes sent (0 for HEAD and for 304)
 * @param started         when the first byte of the request was read
 * @param duration        from the first byte read to the last byte written
 * @param attributes      the exchange's attributes (for instance {@link Attributes#USER})
 * @param cutShort        whether the response did not go out whole: the client went away or stopped
 *                        reading, a write timed out, or the grace time at shutdown ran out. Then
 *                        {@code status} is the one that was (or was being) sent and {@code bodyBytes}
 *                        counts only the body bytes the socket accepted.
 */
public record CompletedExchange(Optional<Request> request, String requestLine, InetSocketAddress client,
                                int status, Headers responseHeaders, long bodyBytes, Instant started,
                                Duration duration, Attributes attributes, boolean cutShort) {

    /** An exchange whose response went out whole. */
    public CompletedExchange(Optional<Request> request, String requestLine, InetSocketAddress client, int status,
                             Headers responseHeaders, long bodyBytes, Instant started, Duration duration,
                             Attributes attributes) {
        this(request, requestLine, client, status, responseHeaders, bodyBytes, started, duration, attributes, false);
    }
}
