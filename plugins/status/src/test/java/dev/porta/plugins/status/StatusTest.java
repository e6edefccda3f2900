package dev.porta.plugins.status;

import static dev.porta.plugins.status.StatusServer.body;
import static dev.porta.plugins.status.StatusServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.testkit.PortaTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The status plugin's pages in a real server: health, metrics (checked by promtool), JSON, access, settings. */
@Timeout(60)
class StatusTest {

    @TempDir
    Path root;

    @Test
    void healthIsOkWhileServingAndOpenToEveryClient() throws Exception {
        try (PortaTestServer server = StatusServer.start(root, "status.allow = 127.0.0.1\n")) {
            String health = send(server, "GET", "/porta/health", "127.0.0.2");
            assertTrue(health.startsWith("HTTP/1.1 200"), health);
            assertEquals("ok\n", body(health));
        }
    }

    @Test
    void onlyAllowedClientsSeeThePagesButHealth() throws Exception {
        try (PortaTestServer server = StatusServer.start(root, "status.allow = 127.0.0.1\n")) {
            for (String page : List.of("metrics", "status", "status.json", "requests", "requests.json")) {
                assertTrue(send(server, "GET", "/porta/" + page, "127.0.0.2").startsWith("HTTP/1.1 403"), page + " from 127.0.0.2");
                assertTrue(send(server, "GET", "/porta/" + page, "127.0.0.1").startsWith("HTTP/1.1 200"), page + " from 127.0.0.1");
            }
            assertTrue(send(server, "GET", "/porta/health", "127.0.0.2").startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void aNameAPageElsewhereCouldHaveRepointedIsRefusedToLocalClients() throws Exception {
        // DNS rebinding: a page at evil.example re-points its name at 127.0.0.1 and reads the pages from the
        // user's own browser, which connects from the loopback address with Host: evil.example
        try (PortaTestServer server = StatusServer.start(root, "status.hosts = porta.internal\n")) {
            for (String page : List.of("metrics", "status", "status.json", "requests.json")) {
                String refused = send(server, "GET", "/porta/" + page, null, "evil.example:" + server.port());
                assertTrue(refused.startsWith("HTTP/1.1 403"), page + ": " + refused);
                assertTrue(body(refused).contains("status.hosts"), refused);
            }
            for (String host : List.of("localhost", "LOCALHOST:" + server.port(), "app.localhost", "127.0.0.1:" + server.port(),
                    "[::1]:" + server.port(), "porta.internal", "Porta.Internal:" + server.port())) {
                assertTrue(send(server, "GET", "/porta/metrics", null, host).startsWith("HTTP/1.1 200"), host);
            }
            // absolute-form: the target's authority is the name asked for, whatever Host says (RFC 9112 §3.2.2)
            assertTrue(send(server, "GET", "http://evil.example/porta/metrics", null, "localhost").startsWith("HTTP/1.1 403"));
            assertTrue(send(server, "GET", "http://localhost/porta/metrics", null, "evil.example").startsWith("HTTP/1.1 200"));
            // health stays open to any name: load balancers ask under the site's name
            assertTrue(send(server, "GET", "/porta/health", null, "evil.example").startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void healthAnswersOnlyGetAndHead() throws Exception {
        try (PortaTestServer server = StatusServer.start(root, "")) {
            String post = send(server, "POST", "/porta/health");
            assertTrue(post.startsWith("HTTP/1.1 405"), post);
            assertTrue(post.contains("Allow: GET, HEAD"), post);
            assertTrue(send(server, "HEAD", "/porta/health").startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void healthAnswers503WhileTheServerDrains() throws Exception {
        PortaTestServer server = StatusServer.start(root, "timeouts.drain = 2s\n");
        assertTrue(send(server, "GET", "/porta/health").startsWith("HTTP/1.1 200"));
        Thread stopper = Thread.ofPlatform().start(server::close);
        String during = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!during.startsWith("HTTP/1.1 503") && System.nanoTime() < deadline) {
            during = send(server, "GET", "/porta/health");
            Thread.sleep(20);
        }
        assertTrue(during.startsWith("HTTP/1.1 503"), during);
        assertEquals("draining\n", body(during));
        assertTrue(send(server, "GET", "/hello").startsWith("HTTP/1.1 200"), "still serving while draining");
        stopper.join(10_000);
    }

    @Test
    void metricsCountTheTrafficAndPassPromtool() throws Exception {
        try (PortaTestServer server = StatusServer.start(root, "")) {
            for (int i = 0; i < 3; i++) send(server, "POST", "/hello");
            for (int i = 0; i < 2; i++) send(server, "DELETE", "/missing");
            send(server, "BREW", "/pot");
            server.awaitExchanges(6);
            String metrics = send(server, "GET", "/porta/metrics");
            assertTrue(metrics.contains("Content-Type: text/plain; version=0.0.4"), metrics);
            String text = body(metrics);
            assertEquals(3.0, value(text, "porta_requests_total\\{method=\"POST\",status_class=\"2xx\"\\}"));
            assertEquals(2.0, value(text, "porta_requests_total\\{method=\"DELETE\",status_class=\"4xx\"\\}"));
            // a method the core does not know is answered by the core, without a parsed request
            assertEquals(1.0, value(text, "porta_requests_total\\{method=\"none\",status_class=\"5xx\"\\}"));
            assertTrue(value(text, "porta_response_body_bytes_total") >= 18);
            assertTrue(value(text, "porta_request_duration_seconds_count") >= 6);
            assertTrue(value(text, "porta_plugin_responses_total\\{plugin=\"site\"\\}") >= 5);
            assertEquals(0.0, value(text, "porta_connections_refused_total\\{reason=\"limit\"\\}"));
            for (String name : List.of("porta_connections_open", "porta_connections_active", "porta_connections_idle",
                    "porta_login_failures_total", "jvm_memory_used_bytes", "jvm_gc_collection_seconds_count",
                    "process_cpu_seconds_total", "process_open_fds")) {
                assertTrue(text.contains("\n" + name), name);
            }
            Path file = Files.writeString(root.resolve("metrics.txt"), text);
            var promtool = Tools.find("promtool");
            Assumptions.assumeTrue(promtool.isPresent(), "promtool is not installed (apt-get install prometheus): text format not validated");
            Tools.Result check = Tools.run(List.of("sh", "-c", promtool.get() + " check metrics < " + file), 30);
            assertEquals(0, check.exit(), check.stdout() + check.stderr());
        }
    }

    @Test
    void tlsHandshakesAreCountedByProtocolAndFailedOnesToo() throws Exception {
        dev.porta.server.testing.TestCa ca = dev.porta.server.testing.TestCa.create();
        dev.porta.server.testing.TestCa.writePem(ca.issue("EC", "localhost"), root.resolve("site.pem"), root.resolve("site.key"),
                dev.porta.server.testing.TestCa.KeyFormat.PKCS8);
        String https = "server.https.port = 0\nserver.https.cert.site = " + root.resolve("site.pem") + ", " + root.resolve("site.key") + "\n";
        try (PortaTestServer server = StatusServer.start(root, https)) {
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                try (javax.net.ssl.SSLSocket s = ca.connect(server.httpsPort(), "localhost", protocol)) {
                    s.startHandshake();
                }
            }
            try (dev.porta.server.testing.RawClient plain = new dev.porta.server.testing.RawClient(server.httpsPort())) {
                plain.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n"); // not TLS: a failed handshake
                plain.readToEnd();
            }
            String text = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!text.contains("protocol=\"failed\"") && System.nanoTime() < deadline) {
                text = body(send(server, "GET", "/porta/metrics"));
                Thread.sleep(20);
            }
            assertEquals(1.0, value(text, "porta_tls_handshakes_total\\{protocol=\"TLSv1.3\"\\}"));
            assertEquals(1.0, value(text, "porta_tls_handshakes_total\\{protocol=\"TLSv1.2\"\\}"));
            assertEquals(1.0, value(text, "porta_tls_handshakes_total\\{protocol=\"failed\"\\}"));
        }
    }

    @Test
    void theJsonOfThePagesShowsTheTrafficAndNoSecret() throws Exception {
        try (PortaTestServer server = StatusServer.start(root, "")) {
            for (int i = 0; i < 4; i++) send(server, "GET", "/hello/page?token=secret");
            send(server, "GET", "/nowhere");
            server.awaitExchanges(5);
            String status = body(send(server, "GET", "/porta/status.json"));
            assertTrue(status.contains("{\"key\":\"/hello/page\",\"count\":4}"), status);
            assertTrue(status.contains("\"top404\":[{\"key\":\"/nowhere\",\"count\":1}]"), status);
            assertTrue(status.contains("\"chain\":[\"status\",\"site\"]"), status);
            String all = body(send(server, "GET", "/porta/requests.json"));
            assertFalse(all.contains("secret"), "no query reaches the page");
            String notFound = body(send(server, "GET", "/porta/requests.json?status=4xx"));
            assertTrue(notFound.contains("\"/nowhere\"") && !notFound.contains("/hello/page"), notFound);
            String newest = body(send(server, "GET", "/porta/requests.json?path=/hello&limit=1"));
            assertEquals(1, newest.split("\"path\"").length - 1, newest);
        }
    }

    @Test
    void thePrefixIsASetting() throws Exception {
        try (PortaTestServer server = StatusServer.start(root, "status.prefix = /ops/\n")) {
            assertTrue(send(server, "GET", "/ops/health").startsWith("HTTP/1.1 200"));
            assertTrue(send(server, "GET", "/porta/health").startsWith("HTTP/1.1 404"));
        }
    }

    @Test
    void badSettingsAreReportedWithFileAndLine() {
        Status status = new Status();
        List<String> problems = PortaTestServer.builder(root).config("# status\nstatus.allow = 127.0.0.1, 10.0.0.0/99\n")
                .handler("status", status).check();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("test.properties:2: status.allow:"), problems.get(0));
        assertTrue(PortaTestServer.builder(root).config("status.prefix = porta\n").handler("status", new Status()).check()
                .get(0).startsWith("test.properties:1: status.prefix:"));
        assertTrue(PortaTestServer.builder(root).config("status.recent = 0\n").handler("status", new Status()).check()
                .get(0).startsWith("test.properties:1: status.recent:"));
        assertTrue(PortaTestServer.builder(root).config("status.hosts = *.example.com\n").handler("status", new Status()).check()
                .get(0).startsWith("test.properties:1: status.hosts:"));
    }

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(metrics);
        assertTrue(m.find(), series + " in\n" + metrics);
        return Double.parseDouble(m.group(1));
    }
}
