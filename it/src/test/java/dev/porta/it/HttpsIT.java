package dev.porta.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.testing.TestCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from the built jar: what only the real program does (its log line, renegotiation refused, exit 2). */
@Timeout(120)
class HttpsIT {

    @TempDir
    Path dir;

    @Test
    void theJarServesHttpsRefusesRenegotiationAndLogsTheCipher() throws Exception {
        TestCa ca = TestCa.create();
        TestCa.writePem(ca.issue("RSA", "localhost"), dir.resolve("fullchain.pem"), dir.resolve("privkey.pem"), TestCa.KeyFormat.TRADITIONAL);
        Path caPem = ca.writeCaPem(dir.resolve("ca.pem"));
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "over TLS\n");
        Files.copy(dir.resolve("privkey.pem"), root.resolve("privkey.pem")); // a key file under the site: never served
        Path plugins = PortaProcess.pluginsWith(dir, "static-index", "request-log");
        Path config = Files.writeString(dir.resolve("porta.properties"), """
                server.https.port = 0
                server.https.cert.site = %1$s/fullchain.pem, %2$s/privkey.pem
                server.https.hsts = max-age=31536000
                request-log.file = %1$s/access.log
                request-log.format = %%{SSL_PROTOCOL}x %%{SSL_CIPHER}x "%%r" %%>s
                """.formatted(dir, root));
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--config", config.toString(), "--root", root.toString(),
                "--plugins", plugins.toString())) {
            int port = porta.awaitHttpsListening();
            try (HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).build()) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals("over TLS\n", r.body());
                assertEquals("max-age=31536000", r.headers().firstValue("Strict-Transport-Security").orElse(null));
                assertEquals(404, client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/privkey.pem")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode(), "the key file is never served");
            }
            // TLS 1.2: the client asks to renegotiate ("R" to s_client); JSSE refuses with a handshake_failure alert
            Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                    "-CAfile", caPem.toString(), "-tls1_2").redirectErrorStream(true).start();
            p.getOutputStream().write("R\n".getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
            boolean ended = p.waitFor(10, TimeUnit.SECONDS);
            if (!ended) p.destroyForcibly().waitFor();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(out.contains("RENEGOTIATING") && out.contains("handshake failure"), out);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Path log = dir.resolve("access.log");
            while ((!Files.exists(log) || !Files.readString(log).contains("\"GET / HTTP/1.1\"")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String line = Files.readString(log).lines().filter(l -> l.contains("\"GET / HTTP/1.1\"")).findFirst().orElse("");
            assertTrue(line.matches("TLSv1\\.3 TLS_(AES|CHACHA20)\\S+ \"GET / HTTP/1\\.1\" 200"), line);
        }
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateStopsStartUpWithFileAndLineAndStatus2() throws Exception {
        TestCa ca = TestCa.create();
        TestCa.writePem(ca.issue("EC", "localhost"), dir.resolve("a.pem"), dir.resolve("a.key"), TestCa.KeyFormat.PKCS8);
        TestCa.writePem(ca.issue("EC", "localhost"), dir.resolve("b.pem"), dir.resolve("b.key"), TestCa.KeyFormat.PKCS8);
        Path config = Files.writeString(dir.resolve("porta.properties"),
                "server.https.port = 0\nserver.https.cert.site = " + dir.resolve("a.pem") + ", " + dir.resolve("b.key") + "\n");
        Files.createDirectories(dir.resolve("www"));
        try (PortaProcess porta = PortaProcess.start(dir, List.of(), "--config", config.toString(), "--root", dir.resolve("www").toString())) {
            assertEquals(2, porta.awaitExit(), porta.output());
            assertTrue(porta.output().contains(config + ":2: server.https.cert.site: the key in " + dir.resolve("b.key")
                    + " does not belong to the certificate"), porta.output());
            assertFalse(porta.output().contains("PRIVATE KEY"), porta.output());
        }
    }
}
