package dev.porta.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.config.CommandLine;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.HttpsConfig;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.testing.TestCa;
import dev.porta.spi.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading certificate files, and the {@code server.https.*} keys: every problem is FILE:LINE. */
class CertificatesTest {

    @TempDir
    static Path dir;
    static TestCa ca;
    static TestCa.Issued rsa;
    static TestCa.Issued ec;

    @BeforeAll
    static void files() {
        ca = TestCa.create();
        rsa = ca.issue("RSA", "rsa.test");
        ec = ca.issue("EC", "ec.test", "*.ec.test");
        TestCa.writePem(rsa, dir.resolve("rsa.pem"), dir.resolve("rsa-pkcs1.key"), TestCa.KeyFormat.TRADITIONAL);
        TestCa.writePem(rsa, dir.resolve("rsa.pem"), dir.resolve("rsa-pkcs8.key"), TestCa.KeyFormat.PKCS8);
        TestCa.writePem(ec, dir.resolve("ec.pem"), dir.resolve("ec-sec1.key"), TestCa.KeyFormat.TRADITIONAL);
        ca.writeP12(ec, dir.resolve("ec.p12"), "s3cret-pass");
    }

    private static ServerConfig read(String text) {
        return ServerConfig.read(ConfigFile.parse("porta.properties", text), CommandLine.parse("--root", dir.toString()));
    }

    private static List<Identity> load(String text) {
        List<Path> neverServed = new ArrayList<>();
        HttpsConfig https = read(text).https().orElseThrow();
        try (Certificates c = Certificates.load(https, neverServed::add)) {
            assertTrue(neverServed.containsAll(https.certificates().stream().map(HttpsConfig.CertificateSpec::keyFile).toList()),
                    "every key file and store is registered never served: " + neverServed);
            return c.current();
        }
    }

    private static String error(String text) {
        return assertThrows(ConfigException.class, () -> load(text)).getMessage();
    }

    @Test
    void aCertificateOutsideItsValidityIsNamedWithItsLineNamesAndDate() {
        HttpsConfig https = read("""
                server.https.port = 0
                server.https.cert.a = %1$s/rsa.pem, %1$s/rsa-pkcs8.key
                server.https.cert.b = %1$s/ec.pem, %1$s/ec-sec1.key
                """.formatted(dir)).https().orElseThrow();
        try (Certificates c = Certificates.load(https, path -> { })) {
            assertEquals(List.of(), c.outOfDate(java.time.Instant.now()));
            java.time.Instant later = ec.cert().getNotAfter().toInstant().plusSeconds(60);
            assertEquals(List.of("porta.properties:2: server.https.cert.a: certificate for rsa.test expired on " + rsa.cert().getNotAfter().toInstant(),
                    "porta.properties:3: server.https.cert.b: certificate for ec.test, *.ec.test expired on " + ec.cert().getNotAfter().toInstant()),
                    c.outOfDate(later));
            java.time.Instant earlier = rsa.cert().getNotBefore().toInstant().minusSeconds(60);
            assertEquals("porta.properties:2: server.https.cert.a: certificate for rsa.test is not valid before " + rsa.cert().getNotBefore().toInstant(),
                    c.outOfDate(earlier).get(0));
        }
    }

    @Test
    void readsPkcs1Pkcs8Sec1AndPkcs12InFileOrder() {
        List<Identity> ids = load("""
                server.https.port = 0
                server.https.cert.a = %1$s/rsa.pem, %1$s/rsa-pkcs1.key
                server.https.cert.b = %1$s/rsa.pem, %1$s/rsa-pkcs8.key
                server.https.cert.c = %1$s/ec.pem, %1$s/ec-sec1.key
                server.https.cert.d = %1$s/ec.p12
                server.https.cert.d.password = s3cret-pass
                """.formatted(dir));
        assertEquals(List.of("a", "b", "c", "d"), ids.stream().map(Identity::name).toList());
        assertEquals(List.of("RSA", "RSA", "EC", "EC"), ids.stream().map(Identity::keyType).toList());
        assertEquals(List.of("ec.test", "*.ec.test"), ids.get(3).hostNames());
        assertTrue(ids.get(2).covers("www.ec.test") && !ids.get(2).covers("a.b.ec.test") && !ids.get(2).covers("ec.test.evil"));
        assertEquals(2, ids.get(3).chain().length, "the store's chain");
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateStopsStartUpWithFileAndLine() {
        String message = error("server.https.port = 0\n\nserver.https.cert.site = %1$s/rsa.pem, %1$s/ec-sec1.key\n".formatted(dir));
        assertTrue(message.startsWith("porta.properties:3: server.https.cert.site: the key in "), message);
        assertTrue(message.contains("does not belong to the certificate"), message);
    }

    @Test
    void unreadableOrWrongFilesNameTheirLineAndNeverTheSecrets() throws Exception {
        assertTrue(error("server.https.port = 0\nserver.https.cert.x = %1$s/missing.pem, %1$s/rsa-pkcs1.key\n".formatted(dir))
                .startsWith("porta.properties:2: server.https.cert.x: cannot read " + dir.resolve("missing.pem")));
        assertTrue(error("server.https.port = 0\nserver.https.cert.x = %1$s/rsa-pkcs1.key, %1$s/rsa-pkcs1.key\n".formatted(dir))
                .contains("is not a PEM certificate chain"));
        assertTrue(error("server.https.port = 0\nserver.https.cert.x = %1$s/rsa.pem, %1$s/rsa.pem\n".formatted(dir))
                .contains("holds no private key"));
        String wrongPassword = error("server.https.port = 0\nserver.https.cert.x = %s/ec.p12\nserver.https.cert.x.password = guess-pass\n".formatted(dir));
        assertTrue(wrongPassword.startsWith("porta.properties:2: server.https.cert.x: ") && wrongPassword.contains("wrong password"), wrongPassword);
        assertFalse(wrongPassword.contains("guess-pass"), "no password in a message");
        Path encrypted = dir.resolve("encrypted.key");
        Process p = new ProcessBuilder("openssl", "pkey", "-in", dir.resolve("rsa-pkcs8.key").toString(), "-aes256",
                "-passout", "pass:abcd", "-out", encrypted.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        assertTrue(error("server.https.port = 0\nserver.https.cert.x = %1$s/rsa.pem, %2$s\n".formatted(dir, encrypted))
                .contains("is encrypted"));
        String notPem = error("server.https.port = 0\nserver.https.cert.x = %1$s/rsa.pem, %1$s/ec.p12\n".formatted(dir));
        assertTrue(notPem.startsWith("porta.properties:2: server.https.cert.x: "), notPem);
        assertFalse(Files.readString(dir.resolve("rsa-pkcs1.key")).lines().skip(1).findFirst().map(notPem::contains).orElse(true));
    }

    @Test
    void theHttpsKeysAreCheckedWithFileAndLine() {
        assertTrue(read("server.https.port = 0\n").https().orElseThrow().certificates().isEmpty(), "a plugin may provide them: checked at start");
        assertTrue(configError("server.https.cert.a = a.pem, a.key\n").startsWith("porta.properties:1: server.https.cert.a: certificates need server.https.port"));
        assertTrue(configError("server.https.port = 0\nserver.https.cert.a = a.pem\n").contains("needs its key file too"));
        assertTrue(configError("server.https.port = 0\nserver.https.cert.a = a.pem, a.key\nserver.https.cert.a.password = x\n")
                .startsWith("porta.properties:3: server.https.cert.a.password: only a PKCS#12 store has a password"));
        assertTrue(configError("server.https.port = 0\nserver.https.cert.a = a.p12\nserver.https.cert.b.password = x\n")
                .startsWith("porta.properties:3: server.https.cert.b.password: there is no server.https.cert.b line"));
        assertTrue(configError("server.https.port = 0\nserver.https.cert.a = a.p12\nserver.https.hsts = 1 year\n")
                .startsWith("porta.properties:3: server.https.hsts: '1 year' is not a Strict-Transport-Security value"));
        assertTrue(configError("server.port = off\n").startsWith("porta.properties:1: server.port: off needs server.https.port"));
        assertTrue(configError("server.http.redirect-to-https = on\n").startsWith("porta.properties:1: server.http.redirect-to-https: needs server.https.port"));
        assertTrue(configError("server.https.port = 70000\nserver.https.cert.a = a.p12\n").startsWith("porta.properties:1: server.https.port: 70000 is not a port"));
        ServerConfig ok = read("server.port = off\nserver.https.port = 8443\nserver.https.cert.a = a.p12\n"
                + "server.https.cert.a.password = hunter2-pass\n"
                + "server.https.hsts = max-age=31536000; includeSubDomains; preload\nserver.http.redirect-to-https = on\n");
        assertEquals(ServerConfig.OFF, ok.port());
        assertEquals(8443, ok.https().orElseThrow().port());
        assertTrue(ok.redirectToHttps());
        assertFalse(ok.toString().contains("hunter2-pass"), "no password in toString");
        assertEquals("hunter2-pass", ok.https().get().certificates().get(0).password().orElseThrow());
    }

    private static String configError(String text) {
        return assertThrows(ConfigException.class, () -> read(text)).getMessage();
    }
}
