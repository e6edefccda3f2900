package dev.porta.server.connection;

import dev.porta.server.tls.TlsContext;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the connections of one listener share.
 *
 * @param tls           the TLS context (the HTTPS listener); empty for plain HTTP
 * @param redirectPort  plain HTTP only: the HTTPS port every request is redirected to (308), except ACME
 *                      HTTP-01 challenges; empty: requests are served
 * @param hsts          HTTPS only: the {@code Strict-Transport-Security} value added to every answer
 */
public record Endpoint(Optional<TlsContext> tls, OptionalInt redirectPort, Optional<String> hsts) {

    /** Plain HTTP, served. */
    public static final Endpoint PLAIN = new Endpoint(Optional.empty(), OptionalInt.empty(), Optional.empty());
}
