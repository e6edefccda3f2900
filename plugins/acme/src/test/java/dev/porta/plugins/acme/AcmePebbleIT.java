package dev.porta.plugins.acme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code acme.jar} in {@code porta.jar}'s own JVM against Pebble on loopback: the first
 * certificate over a real HTTP-01 validation of Porta's HTTP port (behind a site-wide password area),
 * served and verified against Pebble's root, renewed at two thirds of its short life, and reused after a
 * restart without a word to Pebble. Skipped, saying so, only when the pebble package is not installed.
 */
@Timeout(120)
class AcmePebbleIT {

    static final Path JAR = Path.of(System.getProperty("porta.jar", "../../server/target/porta.jar")).toAbsolutePath().normalize();
    static final Path BUNDLED = Path.of(System.getProperty("porta.plugins", "..")).toAbsolutePath().normalize();
    static final String JAVA = System.getProperty("porta.java", "java");
    static final Pattern HTTPS = Pattern.compile("Porta listening on https://[^:]+:(\\d+)/");
    static final String DOMAIN = "porta.test";
    /** Pebble's certificates live this long: renewal comes at two thirds, 12 s after issue. */
    static final int VALIDITY_SECONDS = 18;

    @TempDir
    Path dir;

    @Test
    void obtainsOverHttp01ServesRenewsAndReusesItsAccountAndCertificateAfterARestart() throws Exception {
        Pebble.assumeInstalled();
        int httpPort = Pebble.freePort();
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "secured\n");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        for (String id : List.of("acme", "access-control", "static-index", "request-log")) {
            Files.copy(BUNDLED.resolve(id + ".jar"), plugins.resolve(id + ".jar"));
        }
        Process add = new ProcessBuilder(JAVA, "-cp", plugins.resolve("access-control.jar").toString(),
                "dev.porta.plugins.accesscontrol.UsersCommand", "add", dir.resolve("users.htpasswd").toString(), "alice", "--stdin")
                .redirectErrorStream(true).start();
        try (OutputStream in = add.getOutputStream()) {
            in.write("correct horse\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, add.waitFor(), new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        try (Pebble pebble = Pebble.start(dir, httpPort, VALIDITY_SECONDS)) {
            Path config = Files.writeString(dir.resolve("porta.properties"), """
                    server.port = %d
                    server.https.port = 0
                    server.data-dir = %s
                    acme.domains = %s
                    acme.email = admin@porta.test
                    acme.directory = %s
                    acme.directory-ca = %s
                    # the whole site behind a password: the CA must still get its answer, never a 401
                    access-control.area.all.prefixes = /
                    access-control.area.all.users = %s
                    request-log.file = %s
                    """.formatted(httpPort, dir.resolve("data"), DOMAIN, pebble.directory, pebble.caPem, dir.resolve("users.htpasswd"),
                    dir.resolve("access.log")));

            Path firstLog = dir.resolve("porta-1.out");
            Process porta = start(config, www, plugins, firstLog);
            BigInteger renewedSerial;
            SSLContext pebbleRoot;
            try {
                int httpsPort = awaitHttps(porta, firstLog);
                // from the first second: a self-signed stand-in, and the log says so
                assertTrue(Files.readString(firstLog).contains("HTTPS serves a self-signed certificate for porta.test"), Files.readString(firstLog));

                String obtained = awaitLog(firstLog, "New certificate for porta.test", 1, 30);
                assertTrue(obtained.contains("Account at https://localhost:"), obtained);
                pebbleRoot = Pebble.trusting(pebble.root());
                X509Certificate first = get(pebbleRoot, httpsPort, "/", "^HTTP/1.1 401 ");
                assertEquals(List.of(List.of(2, DOMAIN)), first.getSubjectAlternativeNames().stream().map(List::copyOf).toList());
                // Pebble's validation reached Porta's HTTP port and got its answer, not the area's 401
                String access = awaitLog(dir.resolve("access.log"), "GET /.well-known/acme-challenge/", 1, 5);
                assertTrue(access.lines().filter(l -> l.contains("/.well-known/acme-challenge/")).allMatch(l -> l.contains("\" 200 ")), access);

                // two thirds of 18 s later: a renewal, validated again (PEBBLE_AUTHZREUSE=0), served to new connections
                awaitLog(firstLog, "New certificate for porta.test", 2, 30);
                X509Certificate renewed = get(pebbleRoot, httpsPort, "/", "^HTTP/1.1 401 ");
                assertNotEquals(first.getSerialNumber(), renewed.getSerialNumber());
                renewedSerial = renewed.getSerialNumber();
                String log = Files.readString(firstLog);
                assertFalse(log.contains("Cannot get a certificate"), log);
                assertEquals(1, count(log, "registered"), "one account, registered once:\n" + log);
            } finally {
                stop(porta);
            }

            // files: folder 700, files 600, the key never in any log line
            Path data = dir.resolve("data/acme");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("certificates"))));
            try (Stream<Path> files = Files.walk(data)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
                }
            }
            String accountKey = Files.readString(data.resolve("account.key"));
            String keyLine = accountKey.lines().skip(1).findFirst().orElseThrow();
            assertFalse(Files.readString(firstLog).contains(keyLine), "the account key is never logged");
            byte[] accountBefore = Files.readAllBytes(data.resolve("account.key"));
            byte[] accountsBefore = Files.readAllBytes(data.resolve("accounts.properties"));

            // a restart: the stored certificate serves at once, and Pebble hears nothing
            long pebbleLinesBefore = pebble.output().lines().count();
            Path secondLog = dir.resolve("porta-2.out");
            porta = start(config, www, plugins, secondLog);
            try {
                int httpsPort = awaitHttps(porta, secondLog);
                X509Certificate again = get(pebbleRoot, httpsPort, "/", "^HTTP/1.1 401 ");
                assertEquals(renewedSerial, again.getSerialNumber(), "the stored certificate, not a stand-in or a new one");
                String log = Files.readString(secondLog);
                assertTrue(log.contains("Reusing the stored certificate for porta.test"), log);
                assertFalse(log.contains("Asking"), log);
                assertEquals(pebbleLinesBefore, pebble.output().lines().count(), "Pebble was not asked:\n" + pebble.output());

                // its renewal uses the stored account: no second registration
                awaitLog(secondLog, "New certificate for porta.test", 1, 30);
                assertEquals(0, count(Files.readString(secondLog), "registered"), Files.readString(secondLog));
                assertArrayEquals(accountBefore, Files.readAllBytes(data.resolve("account.key")));
                assertArrayEquals(accountsBefore, Files.readAllBytes(data.resolve("accounts.properties")));
                assertEquals(1, count(pebble.output(), "POST /sign-me-up"), pebble.output());
            } finally {
                stop(porta);
            }
        }
    }

    private Process start(Path config, Path www, Path plugins, Path log) throws IOException {
        return new ProcessBuilder(JAVA, "-Dporta.home=" + dir, "-jar", JAR.toString(), "--host", "127.0.0.1", "--root", www.toString(),
                "--plugins", plugins.toString(), "--config", config.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void stop(Process porta) throws InterruptedException {
        porta.destroy();
        if (!porta.waitFor(15, TimeUnit.SECONDS)) porta.destroyForcibly().waitFor();
    }

    private static int awaitHttps(Process porta, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = HTTPS.matcher(Files.readString(log));
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!porta.isAlive()) break;
            Thread.sleep(20);
        }
        throw new AssertionError("Porta did not listen for HTTPS:\n" + Files.readString(log));
    }

    /** Waits until {@code text} is in the log {@code times} times; the log then. */
    private static String awaitLog(Path log, String text, int times, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String now = Files.readString(log);
            if (count(now, text) >= times) return now;
            Thread.sleep(100);
        }
        throw new AssertionError("not " + times + "x '" + text + "' within " + seconds + " s:\n" + Files.readString(log));
    }

    private static long count(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).count();
    }

    /**
     * GET {@code path} over TLS to 127.0.0.1 with SNI porta.test, verifying the chain against {@code trust} and the
     * name; the status line or body must match {@code expect}; the certificate served.
     */
    private static X509Certificate get(SSLContext trust, int port, String path, String expect) throws IOException {
        try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket(new Socket("127.0.0.1", port), DOMAIN, port, true)) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(DOMAIN)));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.setSoTimeout(10_000);
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + DOMAIN + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(Pattern.compile(expect).matcher(answer).find(), answer);
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }
}
