package dev.porta.plugins.status;

import dev.porta.server.testing.RawClient;
import dev.porta.testkit.PortaTestServer;
import dev.porta.spi.Body;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.io.IOException;
import java.nio.file.Path;

/** A real server with the status plugin in front of a tiny site: {@code /hello} is 200, the rest 404. */
final class StatusServer {

    static final Handler SITE = (request, chain) -> request.path().startsWith("/hello")
            ? Response.of(200).withHeader("Content-Type", "text/plain").withBody(Body.of("hello\n"))
            : Response.of(404);

    private StatusServer() {
    }

    /** Starts it with {@code config} (porta.properties text). */
    static PortaTestServer start(Path root, String config) {
        Status status = new Status();
        return PortaTestServer.builder(root).config(config).handler("status", status).handler("site", SITE)
                .connectionObserver("status", status).observer("status", status).start();
    }

    /** One {@code method path} request on its own connection from 127.0.0.1; the whole response. */
    static String send(PortaTestServer server, String method, String path) throws IOException {
        return send(server, method, path, null);
    }

    /** The same from {@code localAddress} (e.g. 127.0.0.2). */
    static String send(PortaTestServer server, String method, String path, String localAddress) throws IOException {
        return send(server, method, path, localAddress, "localhost");
    }

    /** The same with {@code Host: host}. */
    static String send(PortaTestServer server, String method, String path, String localAddress, String host) throws IOException {
        try (RawClient client = new RawClient(server.port(), localAddress)) {
            client.send(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                    + (method.equals("POST") ? "Content-Length: 0\r\n" : "") + "\r\n");
            return client.readResponse(method.equals("HEAD"));
        }
    }

    /** The body of a response read by {@link #send}. */
    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}
