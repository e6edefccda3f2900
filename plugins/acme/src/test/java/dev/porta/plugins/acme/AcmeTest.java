package dev.porta.plugins.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.spi.ConfigException;
import dev.porta.testkit.PortaTestServer;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The plugin in a real Porta: its settings, the challenge path before access control, start-up without the CA. */
@Timeout(60)
class AcmeTest {

    static final Path BUNDLED = Path.of(System.getProperty("porta.plugins", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private List<String> problems(String config) throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Acme acme = new Acme();
        return PortaTestServer.builder(www).home(dir).config(config).handler("acme", acme).certificateProvider("acme", acme).check();
    }

    @Test
    void badSettingsAreFileAndLineErrors() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        String https = "server.https.port = 0\n";
        assertEquals(List.of("test.properties:2: acme.domains: '*.example.org': a wildcard certificate needs the dns-01 challenge;"
                + " acme answers http-01 only: list each name"), problems(https + "acme.domains = *.example.org\n"));
        assertTrue(problems(https + "acme.domains = example.org, exa_mple.org\n").get(0)
                .startsWith("test.properties:2: acme.domains: 'exa_mple.org' is not a public host name"));
        assertTrue(problems(https + "acme.domains = localhost\n").get(0).startsWith("test.properties:2: acme.domains: 'localhost' is not a public host name"));
        assertTrue(problems(https + "acme.domains = 192.0.2.1\n").get(0).startsWith("test.properties:2: acme.domains: '192.0.2.1' is an address"));
        assertTrue(problems(https + "acme.email = a@b.org\n").get(0).startsWith("test.properties: acme.domains: missing"));
        assertTrue(problems(https + "acme.domains = example.org\nacme.email = nobody\n").get(0)
                .startsWith("test.properties:3: acme.email: 'nobody' is not an e-mail address"));
        assertTrue(problems(https + "acme.domains = example.org\nacme.directory = http://ca.example/dir\n").get(0)
                .startsWith("test.properties:3: acme.directory: 'http://ca.example/dir': expected letsencrypt, letsencrypt-staging, or the https:// URL"));
        assertTrue(problems(https + "acme.domains = example.org\nacme.directory-ca = " + dir.resolve("missing.pem") + "\n").get(0)
                .startsWith("test.properties:3: acme.directory-ca: cannot read "));
        assertTrue(problems(https + "acme.domains = example.org\nacme.directory-ca = " + notPem + "\n").get(0)
                .startsWith("test.properties:3: acme.directory-ca: "));
        assertTrue(problems(https + "acme.domains = example.org\nacme.challenge = dns-01\n").get(0)
                .startsWith("test.properties:3: acme.challenge: 'dns-01': only http-01 is supported"));
        List<String> typo = problems(https + "acme.domains = example.org\nacme.domain = typo.org\n");
        assertEquals(List.of("test.properties:3: unknown key acme.domain"), typo, "an unknown key is reported");
        assertEquals(List.of(), problems(https + "acme.domains = Example.ORG., www.example.org, bücher.example\nacme.directory = letsencrypt-staging\n"
                + "acme.email = admin@example.org\nacme.challenge = http-01\n"));
        assertFalse(Files.exists(dir.resolve("data")), "check creates nothing");
    }

    @Test
    void withoutSettingsThePluginIsIdleAndHttpsWithoutCertificatesDoesNotStart() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Acme acme = new Acme();
        try (PortaTestServer porta = PortaTestServer.builder(www).home(dir).handler("acme", acme).certificateProvider("acme", acme).start()) {
            assertEquals(404, porta.get("/.well-known/acme-challenge/x").statusCode());
            assertTrue(acme.hostNames().isEmpty());
        }
        Acme idle = new Acme();
        ConfigException e = assertThrows(ConfigException.class, () -> PortaTestServer.builder(www).home(dir).config("server.https.port = 0\n")
                .handler("acme", idle).certificateProvider("acme", idle).start());
        assertTrue(e.getMessage().startsWith("test.properties:1: server.https.port: HTTPS needs a certificate"), e.getMessage());
    }

    @Test
    void theChallengeIsAnsweredDespiteTheRedirectAndBeforeASiteWideAreaAndStartUpNeverWaitsForAnUnreachableCa() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hi\n");
        Files.writeString(dir.resolve("users.htpasswd"), "");
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Acme acme = new Acme();
        long started = System.nanoTime();
        try (PortaTestServer porta = PortaTestServer.builder(www).home(dir).pluginJar(BUNDLED.resolve("access-control.jar"))
                .handler("acme", acme).certificateProvider("acme", acme).config("""
                        server.https.port = 0
                        server.http.redirect-to-https = on
                        acme.domains = porta.test
                        acme.directory = https://localhost:%d/dir
                        access-control.area.all.prefixes = /
                        access-control.area.all.users = %s
                        """.formatted(closedPort, dir.resolve("users.htpasswd"))).start()) {
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20), "start-up does not wait on the CA");
            // HTTPS serves the self-signed stand-in at once
            X509Certificate served = served(porta.httpsPort());
            assertTrue(served.getSubjectX500Principal().getName().contains(StandIn.ORGANIZATION), served.toString());
            assertEquals(served.getSubjectX500Principal(), served.getIssuerX500Principal(), "self-signed");
            assertTrue(served.getNotAfter().toInstant().isBefore(Instant.now().plus(StandIn.LIFETIME).plusSeconds(60)), "short-lived");
            assertTrue(porta.serverLog().stream().anyMatch(l -> l.contains("INFO  [acme] HTTPS serves a self-signed certificate for porta.test")),
                    porta.serverLog().toString());

            // the CA cannot be reached: one clear line with the time of the next try
            String failure = awaitLine(porta, "Cannot get a certificate for porta.test");
            Matcher m = Pattern.compile("WARN  \\[acme\\] Cannot get a certificate for porta.test from https://localhost:\\d+/dir: .+; next try at"
                    + " (\\S+) \\(in 60 s\\); meanwhile HTTPS serves the self-signed stand-in").matcher(failure);
            assertTrue(m.find(), failure);
            Instant next = Instant.parse(m.group(1));
            assertTrue(next.isAfter(Instant.now().plusSeconds(30)), "backoff, not a busy loop: " + next);

            // over plain HTTP everything is redirected to HTTPS but the challenge path; a pending token is answered
            // to anyone, before the area's 401; anything else there gets the area's 401
            acme.challenges().put("tok-123", "tok-123.thumbprint");
            HttpResponse<String> answer = porta.get("/.well-known/acme-challenge/tok-123");
            assertEquals(200, answer.statusCode());
            assertEquals("tok-123.thumbprint", answer.body());
            assertEquals(401, porta.get("/.well-known/acme-challenge/other").statusCode());
            assertEquals(308, porta.get("/").statusCode());
            acme.challenges().remove("tok-123");
            assertEquals(401, porta.get("/.well-known/acme-challenge/tok-123").statusCode(), "only while it is pending");

            assertEquals(1, porta.serverLog().stream().filter(l -> l.contains("Cannot get a certificate")).count(), "one try so far");
        }
    }

    @Test
    void theAccountKeyIsNeverServedEvenFromUnderTheSiteFolder() throws Exception {
        Files.writeString(dir.resolve("index.html"), "home\n");
        Acme acme = new Acme();
        // the site folder is Porta's home, so data/acme/ lies under it
        try (PortaTestServer porta = PortaTestServer.builder(dir).home(dir).pluginJar(BUNDLED.resolve("static-index.jar"))
                .handler("acme", acme).certificateProvider("acme", acme).config("""
                        server.https.port = 0
                        acme.domains = porta.test
                        acme.directory = https://localhost:%d/dir
                        """.formatted(closedPort())).start()) {
            awaitLine(porta, "Cannot get a certificate for porta.test"); // the account key is made before the CA is tried
            Path accountKey = dir.resolve("data/acme/account.key");
            assertTrue(Files.readString(accountKey).contains("PRIVATE KEY"));
            assertEquals(200, porta.get("/index.html").statusCode());
            HttpResponse<String> key = porta.get("/data/acme/account.key");
            assertEquals(404, key.statusCode());
            assertFalse(key.body().contains("PRIVATE KEY"));
            assertEquals(404, porta.get("/data/acme/").statusCode());
            String keyLine = Files.readString(accountKey).lines().skip(1).findFirst().orElseThrow();
            assertTrue(porta.serverLog().stream().noneMatch(l -> l.contains(keyLine)), "the key is in no log line");
        }
    }

    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String awaitLine(PortaTestServer porta, String part) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (String line : porta.serverLog()) if (line.contains(part)) return line;
            Thread.sleep(50);
        }
        throw new AssertionError("no line with '" + part + "':\n" + String.join("\n", porta.serverLog()));
    }

    /** The certificate HTTPS serves for SNI porta.test, trusting anything (to look at it). */
    private static X509Certificate served(int port) throws Exception {
        X509Certificate[] seen = new X509Certificate[1];
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain[0];
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, null);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(new Socket("127.0.0.1", port), "porta.test", port, true)) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName("porta.test")));
            s.setSSLParameters(p);
            s.startHandshake();
        }
        return seen[0];
    }
}
