package dev.porta.server.connection;

import dev.porta.server.tls.TlsContext;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the connections of one listener share, and the answers that follow from it: the redirect of plain
 * HTTP to HTTPS, HSTS on HTTPS answers.
 *
 * @param tls           the TLS context (the HTTPS listener); empty for plain HTTP
 * @param redirectPort  plain HTTP only: the HTTPS port every request is redirected to (308), except ACME
 *                      HTTP-01 challenges; empty: requests are served
 * @param hsts          HTTPS only: the {@code Strict-Transport-Security} value added to every answer
 */
public record Endpoint(Optional<TlsContext> tls, OptionalInt redirectPort, Optional<String> hsts) {

    /** Plain HTTP, served. */
    public static final Endpoint PLAIN = new Endpoint(Optional.empty(), OptionalInt.empty(), Optional.empty());

    /** Where ACME HTTP-01 challenges are answered: never redirected to HTTPS. */
    private static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";

    /**
     * The 308 to the same URL over HTTPS, for a plain-HTTP request on a listener that redirects (not for a
     * request a trusted TLS proxy forwarded: its scheme is https already); empty: serve the request.
     */
    Optional<Response> redirect(Request request) {
        if (redirectPort.isEmpty() || !request.scheme().equals("http") || request.path().startsWith(ACME_CHALLENGE)) {
            return Optional.empty();
        }
        String host = request.header("Host").orElse("");
        int end = host.startsWith("[") ? host.indexOf(']') + 1 : host.indexOf(':');
        if (end > 0) host = host.substring(0, end);
        if (host.isEmpty()) {
            String address = request.local().getAddress().getHostAddress();
            host = address.contains(":") ? "[" + address + "]" : address;
        }
        int port = redirectPort.getAsInt();
        String target = request.target().equals("*") ? "/" : dev.porta.server.http.RequestTarget.originForm(request.target());
        return Optional.of(Response.of(308).withHeader("Location", "https://" + host + (port == 443 ? "" : ":" + port) + target));
    }

    /** {@code response} with {@code Strict-Transport-Security} when configured, unless the handler set its own. */
    Response withHsts(Response response) {
        if (hsts.isEmpty() || response.headers().first("Strict-Transport-Security").isPresent()) return response;
        return response.withHeader("Strict-Transport-Security", hsts.get());
    }
}
