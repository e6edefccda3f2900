package dev.porta.server.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.testing.RawClient;
import dev.porta.server.testing.TestCa;
import dev.porta.server.EmbeddedPorta;
import dev.porta.spi.Body;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import dev.porta.spi.TlsInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS end to end, with a CA made here: JDK clients, {@code openssl s_client}, SNI, reloads, refusals. */
class HttpsTest {

    @TempDir
    static Path dir;
    static TestCa ca;
    static Path caPem;
    /** RSA, for localhost: the default certificate (RSA so that RSA key exchange and CBC suites can be offered). */
    static TestCa.Issued localhost;
    static Path www;

    static final byte[] BIG = new byte[300_000];
    static final int FILE_LENGTH = 1 << 20;
    static final Handler ECHO = (request, chain) -> {
        if (request.path().equals("/big")) return Response.of(200).withBody(Body.of(BIG));
        if (request.path().equals("/file")) return Response.of(200).withBody(new Body.FileRegion(dir.resolve("file.bin"), 5, FILE_LENGTH));
        return Response.of(200).withBody(Body.of(request.scheme() + " " + request.tls().map(TlsInfo::toString).orElse("-")
                + " " + request.path() + "\n"));
    };

    @BeforeAll
    static void certificates() throws IOException {
        ca = TestCa.create();
        caPem = ca.writeCaPem(dir.resolve("ca.pem"));
        localhost = ca.issue("RSA", "localhost");
        TestCa.writePem(localhost, dir.resolve("localhost.pem"), dir.resolve("localhost.key"), TestCa.KeyFormat.TRADITIONAL);
        TestCa.Issued other = ca.issue("EC", "other.test", "*.wild.test");
        TestCa.writePem(other, dir.resolve("other.pem"), dir.resolve("other.key"), TestCa.KeyFormat.TRADITIONAL);
        new Random(1).nextBytes(BIG);
        byte[] file = new byte[FILE_LENGTH + 10];
        new Random(2).nextBytes(file);
        Files.write(dir.resolve("file.bin"), file);
        www = Files.createDirectories(dir.resolve("www"));
    }

    static String httpsConfig(String extra) {
        return "server.https.port = 0\n"
                + "server.https.cert.localhost = " + dir.resolve("localhost.pem") + ", " + dir.resolve("localhost.key") + "\n"
                + "server.https.cert.other = " + dir.resolve("other.pem") + ", " + dir.resolve("other.key") + "\n" + extra;
    }

    static EmbeddedPorta start(String extra) {
        return EmbeddedPorta.builder(www).config(httpsConfig(extra)).handler("echo", ECHO).start();
    }

    @Test
    @Timeout(30)
    void theJdkClientGetsAnswersOverTls13And12WithHsts() throws Exception {
        try (EmbeddedPorta server = start("server.https.hsts = max-age=31536000; includeSubDomains\n")) {
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                SSLParameters p = new SSLParameters();
                p.setProtocols(new String[] {protocol});
                try (HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).sslParameters(p)
                        .version(HttpClient.Version.HTTP_1_1).build()) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.httpsUri("/hello")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode());
                    assertTrue(r.body().startsWith("https " + protocol + " "), r.body());
                    assertEquals("max-age=31536000; includeSubDomains", r.headers().firstValue("Strict-Transport-Security").orElse(null));
                    HttpResponse<byte[]> big = client.send(HttpRequest.newBuilder(server.httpsUri("/big")).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertArrayEquals(BIG, big.body(), "a large body goes through TLS whole");
                    HttpResponse<byte[]> file = client.send(HttpRequest.newBuilder(server.httpsUri("/file")).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    byte[] expected = java.util.Arrays.copyOfRange(Files.readAllBytes(dir.resolve("file.bin")), 5, 5 + FILE_LENGTH);
                    assertArrayEquals(expected, file.body(), "a file region is read and sent through TLS");
                }
            }
            HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(plain.body().startsWith("http - /"), plain.body());
            assertTrue(plain.headers().firstValue("Strict-Transport-Security").isEmpty(), "no HSTS over plain HTTP");
            List<dev.porta.spi.CompletedExchange> seen = server.awaitExchanges(7);
            assertTrue(seen.stream().anyMatch(e -> e.request().flatMap(r -> r.tls()).map(TlsInfo::protocol).orElse("").equals("TLSv1.2")));
        }
    }

    @Test
    @Timeout(30)
    void opensslSpeaksTls13And12AndVerifiesTheChain() throws Exception {
        try (EmbeddedPorta server = start("")) {
            for (String protocol : List.of("-tls1_3", "-tls1_2")) {
                String out = openssl(server.httpsPort(), "GET /via-openssl HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                        protocol, "-servername", "localhost", "-verify_return_error", "-verify_hostname", "localhost", "-alpn", "http/1.1");
                assertTrue(out.contains("Verify return code: 0 (ok)"), out);
                assertTrue(out.contains(protocol.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2"), out);
                assertTrue(out.contains("ALPN protocol: http/1.1"), out);
                assertTrue(out.contains("HTTP/1.1 200 OK"), out);
                assertTrue(out.contains("/via-openssl"), out);
            }
        }
    }

    @Test
    @Timeout(30)
    void oldProtocolsWeakSuitesAndRsaKeyExchangeAreRefused() throws Exception {
        try (EmbeddedPorta server = start("")) {
            String request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
            // the control: the same client with a good suite gets in, so the refusals below mean something
            String good = openssl(server.httpsPort(), request, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
            assertTrue(good.contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256") && good.contains("HTTP/1.1 200 OK"), good);
            List<List<String>> refused = List.of(
                    List.of("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"),
                    List.of("-tls1", "-cipher", "DEFAULT@SECLEVEL=0"),
                    List.of("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA"), // CBC
                    List.of("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256"), // CBC
                    List.of("-tls1_2", "-cipher", "AES128-GCM-SHA256"), // RSA key exchange
                    List.of("-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256")); // DHE
            for (List<String> offer : refused) {
                String out = openssl(server.httpsPort(), request, offer.toArray(String[]::new));
                assertFalse(out.contains("HTTP/1.1 200"), offer + " got in:\n" + out);
                assertTrue(out.contains("Cipher is (NONE)") || out.contains("alert") || out.contains("no protocols available"),
                        offer + ":\n" + out);
            }
        }
    }

    @Test
    @Timeout(30)
    void sniPicksTheCertificateByItsSanAndTheFirstIsTheDefault() throws Exception {
        try (EmbeddedPorta server = start("")) {
            assertEquals(List.of("localhost"), names(server, "localhost"));
            assertEquals(List.of("other.test", "*.wild.test"), names(server, "other.test"));
            assertEquals(List.of("other.test", "*.wild.test"), names(server, "a.wild.test"));
            assertEquals(List.of("localhost"), names(server, "unknown.test"), "an unknown name gets the default");
            try (SSLSocket s = ca.connect(server.httpsPort(), null)) {
                assertEquals(List.of("localhost"), san((X509Certificate) s.getSession().getPeerCertificates()[0]), "no SNI: the default");
            }
        }
    }

    private static List<String> names(EmbeddedPorta server, String sni) throws IOException {
        SSLSocket s = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", server.httpsPort());
        try (s) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new javax.net.ssl.SNIHostName(sni)));
            s.setSSLParameters(p);
            s.startHandshake();
            return san((X509Certificate) s.getSession().getPeerCertificates()[0]);
        }
    }

    static List<String> san(X509Certificate cert) {
        try {
            return cert.getSubjectAlternativeNames().stream().map(e -> (String) e.get(1)).toList();
        } catch (java.security.cert.CertificateParsingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Timeout(30)
    void aRenewedCertificateIsServedWithoutRestartAndABrokenOneIsNot() throws Exception {
        // certbot's layout: live/ holds symlinks into archive/, switched on renewal
        Path archive = Files.createDirectories(dir.resolve("renew/archive"));
        Path live = Files.createDirectories(dir.resolve("renew/live"));
        TestCa.Issued first = ca.issue("EC", "localhost");
        TestCa.writePem(first, archive.resolve("fullchain1.pem"), archive.resolve("privkey1.pem"), TestCa.KeyFormat.PKCS8);
        Files.createSymbolicLink(live.resolve("fullchain.pem"), archive.resolve("fullchain1.pem"));
        Files.createSymbolicLink(live.resolve("privkey.pem"), archive.resolve("privkey1.pem"));
        String config = "server.https.port = 0\nserver.https.cert.site = " + live.resolve("fullchain.pem") + ", " + live.resolve("privkey.pem") + "\n";
        try (EmbeddedPorta server = EmbeddedPorta.builder(www).config(config).handler("echo", ECHO).start()) {
            assertEquals(first.serial(), servedSerial(server));
            assertTrue(server.neverServed().contains(archive.resolve("privkey1.pem").toRealPath()), "the key file is never served");

            TestCa.Issued second = ca.issue("EC", "localhost");
            TestCa.writePem(second, archive.resolve("fullchain2.pem"), archive.resolve("privkey2.pem"), TestCa.KeyFormat.PKCS8);
            switchLink(live.resolve("fullchain.pem"), archive.resolve("fullchain2.pem"));
            switchLink(live.resolve("privkey.pem"), archive.resolve("privkey2.pem"));
            assertEquals(second.serial(), awaitSerial(server, second.serial()), "the renewed certificate is served");
            assertTrue(server.neverServed().contains(archive.resolve("privkey2.pem").toRealPath()), "the new key file is never served");

            // a broken renewal: a key that does not belong to the certificate; the working one stays
            TestCa.Issued third = ca.issue("EC", "localhost");
            TestCa.writePem(third, archive.resolve("fullchain3.pem"), archive.resolve("privkey3.pem"), TestCa.KeyFormat.PKCS8);
            switchLink(live.resolve("fullchain.pem"), archive.resolve("fullchain3.pem"));
            Thread.sleep(2 * Certificates.CHECK_MILLIS + 500);
            assertEquals(second.serial(), servedSerial(server), "a certificate whose key does not match is not taken");
            switchLink(live.resolve("privkey.pem"), archive.resolve("privkey3.pem"));
            assertEquals(third.serial(), awaitSerial(server, third.serial()), "once the key matches, it is taken");
        }
    }

    private static void switchLink(Path link, Path target) throws IOException {
        Path next = link.resolveSibling(link.getFileName() + ".new");
        Files.createSymbolicLink(next, target);
        Files.move(next, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static BigInteger awaitSerial(EmbeddedPorta server, BigInteger wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        BigInteger served = servedSerial(server);
        while (!served.equals(wanted) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            served = servedSerial(server);
        }
        return served;
    }

    private static BigInteger servedSerial(EmbeddedPorta server) throws IOException {
        try (SSLSocket s = ca.connect(server.httpsPort(), "localhost")) {
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    @Timeout(30)
    void plainHttpIsRedirectedExceptAcmeChallenges() throws Exception {
        try (EmbeddedPorta server = start("server.http.redirect-to-https = on\nserver.https.hsts = max-age=15552000\n")) {
            String r = RawClient.exchange(server.port(), "GET /a/b?c=d HTTP/1.1\r\nHost: example.org:8080\r\n\r\n");
            assertTrue(r.startsWith("HTTP/1.1 308 "), r);
            assertTrue(r.contains("Location: https://example.org:" + server.httpsPort() + "/a/b?c=d\r\n"), r);
            assertFalse(r.contains("Strict-Transport-Security"), "HSTS is for HTTPS answers only (RFC 6797 §7.2)");
            String v6 = RawClient.exchange(server.port(), "POST /x HTTP/1.1\r\nHost: [::1]:8080\r\nContent-Length: 0\r\n\r\n");
            assertTrue(v6.contains("Location: https://[::1]:" + server.httpsPort() + "/x\r\n"), v6);
            // absolute-form: the target's authority is the host, its path and query are kept (RFC 9112 §3.2.2)
            String absolute = RawClient.exchange(server.port(), "GET http://porta.test/abs?q=1 HTTP/1.1\r\nHost: evil.test\r\n\r\n");
            assertTrue(absolute.contains("Location: https://porta.test:" + server.httpsPort() + "/abs?q=1\r\n"), absolute);
            String bare = RawClient.exchange(server.port(), "GET http://porta.test?q=1 HTTP/1.1\r\nHost: porta.test\r\n\r\n");
            assertTrue(bare.contains("Location: https://porta.test:" + server.httpsPort() + "/?q=1\r\n"), bare);
            String badAuthority = RawClient.exchange(server.port(), "GET http://a b/ HTTP/1.1\r\nHost: porta.test\r\n\r\n");
            assertTrue(badAuthority.startsWith("HTTP/1.1 400 "), badAuthority);
            String userinfo = RawClient.exchange(server.port(), "GET http://user@porta.test/ HTTP/1.1\r\nHost: porta.test\r\n\r\n");
            assertTrue(userinfo.startsWith("HTTP/1.1 400 "), userinfo);
            String acme = RawClient.exchange(server.port(), "GET /.well-known/acme-challenge/token HTTP/1.1\r\nHost: example.org\r\n\r\n");
            assertTrue(acme.startsWith("HTTP/1.1 200 ") && acme.contains("http - /.well-known/acme-challenge/token"), acme);
            try (RawClient c = new RawClient(ca.connect(server.httpsPort(), "localhost"))) {
                String answer = c.send("GET /secure HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse();
                assertTrue(answer.contains("Strict-Transport-Security: max-age=15552000\r\n"), answer);
            }
        }
    }

    @Test
    @Timeout(30)
    void plainHttpOnTheHttpsPortGetsAPlaintext400() throws Exception {
        try (EmbeddedPorta server = start("")) {
            String answer = RawClient.exchange(server.httpsPort(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
            assertTrue(answer.contains("HTTPS"), answer);
            try (RawClient garbage = new RawClient(server.httpsPort())) {
                garbage.send(new byte[] {0x16, 0x03, 0x01, 0x00, 0x04, 99, 0, 0, 0}); // a handshake record of nonsense
                long start = System.nanoTime();
                String alert = garbage.readToEnd(); // at most a TLS alert, then the end
                assertTrue(alert.length() < 16 && !alert.contains("HTTP"), alert);
                assertTrue(System.nanoTime() - start < 5_000_000_000L, "a garbage handshake is closed at once");
            }
        }
    }

    @Test
    @Timeout(30)
    void pipelinedRequestsOverTlsAreAllAnswered() throws Exception {
        try (EmbeddedPorta server = start("");
             RawClient c = new RawClient(ca.connect(server.httpsPort(), "localhost"))) {
            c.send("GET /1 HTTP/1.1\r\nHost: localhost\r\n\r\nGET /2 HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /3 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            for (int i = 1; i <= 3; i++) {
                String r = c.readResponse();
                assertTrue(r.startsWith("HTTP/1.1 200 ") && r.endsWith(" /" + i + "\n"), r);
            }
            // and then a request that leaves pipelined bytes unread when it closes: all answers arrive
            c.send("GET /4 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\nGET /5 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            String last = c.readResponse();
            assertTrue(last.endsWith(" /4\n"), last);
        }
    }

    @Test
    @Timeout(60)
    void abandonedHandshakesGiveBackTheirThreadsAndMemory() throws Exception {
        String limits = "timeouts.header = 1s\nlimits.max-connections-per-client = 2000\n";
        try (EmbeddedPorta server = start(limits)) {
            servedSerial(server); // warm up: one real handshake
            java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long heapBefore = settledHeap(memory);
            int threadsBefore = threads.getThreadCount();
            byte[] partialHello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
            List<java.net.Socket> sockets = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    java.net.Socket s = new java.net.Socket("127.0.0.1", server.httpsPort());
                    if (i % 3 == 1) s.getOutputStream().write(0x16); // one byte of a record header
                    if (i % 3 == 2) s.getOutputStream().write(partialHello); // half a ClientHello
                    sockets.add(s);
                }
                // meanwhile a real client is still served
                assertEquals(localhost.serial(), servedSerial(server));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (server.openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
                assertEquals(0, server.openConnections(), "every abandoned handshake is cut off by the header timeout");
            } finally {
                for (java.net.Socket s : sockets) s.close();
            }
            long heapAfter = settledHeap(memory);
            assertTrue(heapAfter - heapBefore < 16L << 20, "heap grew by " + ((heapAfter - heapBefore) >> 10) + " KiB");
            assertTrue(threads.getThreadCount() <= threadsBefore + 2, threads.getThreadCount() + " platform threads, " + threadsBefore + " before");
            assertEquals(localhost.serial(), servedSerial(server), "and the server still serves");
        }
    }

    private static long settledHeap(java.lang.management.MemoryMXBean memory) throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    @Test
    @Timeout(30)
    void overTheLimitTheHttpsPortClosesAtOnceWithoutPlaintext() throws Exception {
        try (EmbeddedPorta server = start("limits.max-connections-per-client = 1\n");
             SSLSocket first = ca.connect(server.httpsPort(), "localhost");
             java.net.Socket second = new java.net.Socket("127.0.0.1", server.httpsPort())) {
            second.setSoTimeout(5000);
            InputStream in = second.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                for (int b = in.read(); b >= 0; b = in.read()) got.write(b);
            } catch (IOException reset) {
                // closed at once: a reset is fine too
            }
            assertEquals("", got.toString(StandardCharsets.ISO_8859_1), "no plaintext 503 on the HTTPS port");
            assertTrue(first.isConnected());
        }
    }

    @Test
    @Timeout(30)
    void httpsOnlyWithPortOff() throws Exception {
        try (EmbeddedPorta server = EmbeddedPorta.builder(www).config("server.port = off\n" + httpsConfig("")).handler("echo", ECHO).start();
             RawClient c = new RawClient(ca.connect(server.httpsPort(), "localhost"))) {
            assertEquals(server.httpsPort(), server.port(), "the one listener is the HTTPS one");
            assertTrue(c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse().contains("https TLSv1.3"));
        }
    }

    @Test
    @Timeout(30)
    void aReturningClientResumesItsSession() throws Exception {
        try (EmbeddedPorta server = start("")) {
            javax.net.ssl.SSLContext client = ca.clientContext(); // one client: one session cache
            byte[][] ids = new byte[2][];
            for (int i = 0; i < 2; i++) {
                SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.httpsPort());
                try (s) {
                    SSLParameters p = s.getSSLParameters();
                    p.setProtocols(new String[] {"TLSv1.2"});
                    s.setSSLParameters(p);
                    s.startHandshake();
                    ids[i] = s.getSession().getId();
                }
            }
            assertTrue(ids[0].length > 0, "the server gave a session id");
            assertArrayEquals(ids[0], ids[1], "the second handshake resumed the first session");
        }
    }

    @Test
    @Timeout(30)
    void alpnWithoutHttp11IsRefused() throws Exception {
        try (EmbeddedPorta server = start("")) {
            SSLSocket s = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", server.httpsPort());
            try (s) {
                SSLParameters p = s.getSSLParameters();
                p.setApplicationProtocols(new String[] {"h2"});
                s.setSSLParameters(p);
                org.junit.jupiter.api.Assertions.assertThrows(SSLException.class, s::startHandshake);
            }
        }
    }

    /** Runs {@code openssl s_client} against 127.0.0.1:{@code port}, {@code input} on its stdin; its whole output. */
    static String openssl(int port, String input, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-CAfile", caPem.toString(), "-ign_eof"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "openssl", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            p.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().close();
        } catch (IOException ended) {
            // it gave up before reading its input: its output says why
        }
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        return Files.readString(output, StandardCharsets.ISO_8859_1);
    }
}
