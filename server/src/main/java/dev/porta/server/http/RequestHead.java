package dev.porta.server.http;

import dev.porta.spi.Headers;

/**
 * The request line and header fields of one request, as parsed.
 *
 * @param method  the method token
 * @param target  the request target as sent
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0} (a later 1.x is served as 1.1)
 * @param headers the header fields
 */
public record RequestHead(String method, String target, String version, Headers headers) {

    /** Whether the request is HTTP/1.0 (no chunked bodies, close unless keep-alive is asked for). */
    public boolean isHttp10() {
        return version.equals(RequestHeadParser.HTTP_1_0);
    }
}
