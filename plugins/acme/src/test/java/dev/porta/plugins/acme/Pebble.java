package dev.porta.plugins.acme;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.porta.server.testing.TestCa;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Pebble, Let's Encrypt's test CA, on loopback for one test: its HTTPS listener's certificate made here
 * (the Debian package ships none), {@code pebble-challtestsrv} as its DNS only (every name → 127.0.0.1),
 * HTTP-01 validated against {@code httpPort} (Porta's), no random sleeps, no deliberate bad nonces, and
 * never {@code PEBBLE_VA_ALWAYS_VALID}: every validation really reaches Porta. Free ports throughout.
 */
final class Pebble implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/pebble");
    static final Path CHALLTESTSRV = Path.of("/usr/bin/pebble-challtestsrv");

    final Path caPem;
    final URI directory;
    final int managementPort;
    final Path log;
    private final TestCa ca;
    private final Process dns;
    private final Process pebble;

    /** Skips the calling test, saying why, when the pebble package is not installed (CI installs it). */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY) && Files.isExecutable(CHALLTESTSRV),
                "pebble is not installed (apt-get install pebble): the ACME end-to-end test against Pebble is skipped");
    }

    private Pebble(Path caPem, URI directory, int managementPort, Path log, TestCa ca, Process dns, Process pebble) {
        this.caPem = caPem;
        this.directory = directory;
        this.managementPort = managementPort;
        this.log = log;
        this.ca = ca;
        this.dns = dns;
        this.pebble = pebble;
    }

    /** Starts Pebble in {@code dir}, validating HTTP-01 on {@code httpPort}, issuing certificates valid {@code validitySeconds}. */
    static Pebble start(Path dir, int httpPort, int validitySeconds) throws Exception {
        TestCa ca = TestCa.create();
        TestCa.writePem(ca.issue("EC", "localhost"), dir.resolve("pebble-cert.pem"), dir.resolve("pebble-key.pem"), TestCa.KeyFormat.PKCS8);
        Path caPem = ca.writeCaPem(dir.resolve("pebble-listener-ca.pem"));
        int acmePort = freePort();
        int managementPort = freePort();
        int dnsPort = freeUdpAndTcpPort();
        Path config = Files.writeString(dir.resolve("pebble-config.json"), """
                {"pebble": {
                  "listenAddress": "127.0.0.1:%d",
                  "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s",
                  "privateKey": "%s",
                  "httpPort": %d,
                  "tlsPort": %d,
                  "ocspResponderURL": "",
                  "externalAccountBindingRequired": false,
                  "certificateValidityPeriod": %d
                }}
                """.formatted(acmePort, managementPort, dir.resolve("pebble-cert.pem"), dir.resolve("pebble-key.pem"), httpPort,
                freePort(), validitySeconds));
        Path dnsLog = dir.resolve("challtestsrv.log");
        Process dns = new ProcessBuilder(CHALLTESTSRV.toString(), "-dns01", "127.0.0.1:" + dnsPort, "-http01", "", "-https01", "",
                "-tlsalpn01", "", "-management", "127.0.0.1:" + freePort(), "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "")
                .redirectErrorStream(true).redirectOutput(dnsLog.toFile()).start();
        Path log = dir.resolve("pebble.log");
        ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "-config", config.toString(), "-dnsserver", "127.0.0.1:" + dnsPort)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PEBBLE_VA_NOSLEEP", "1");
        pb.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        pb.environment().put("PEBBLE_AUTHZREUSE", "0"); // every order is validated again: renewals reach Porta too
        pb.environment().remove("PEBBLE_VA_ALWAYS_VALID");
        Process pebble = pb.start();
        Pebble p = new Pebble(caPem, URI.create("https://localhost:" + acmePort + "/dir"), managementPort, log, ca, dns, pebble);
        try {
            p.awaitDirectory();
        } catch (Exception | AssertionError e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void awaitDirectory() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        try (HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).connectTimeout(Duration.ofSeconds(2)).build()) {
            while (System.nanoTime() < deadline) {
                if (!pebble.isAlive()) break;
                try {
                    if (client.send(HttpRequest.newBuilder(directory).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("Pebble did not start:\n" + Files.readString(log));
    }

    /** Pebble's root certificate (made when it started), from its management endpoint. */
    X509Certificate root() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).build()) {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + managementPort + "/roots/0")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) throw new AssertionError("Pebble's /roots/0 answered " + r.statusCode());
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(r.body()));
        }
    }

    /** A TLS client context that trusts {@code roots} only. */
    static SSLContext trusting(X509Certificate... roots) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < roots.length; i++) trust.setCertificateEntry("root" + i, roots[i]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Pebble's output so far. */
    String output() throws IOException {
        return Files.readString(log);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpAndTcpPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            int port = freePort();
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                return udp.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port for UDP and TCP");
    }

    @Override
    public void close() {
        for (Process p : List.of(pebble, dns)) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
