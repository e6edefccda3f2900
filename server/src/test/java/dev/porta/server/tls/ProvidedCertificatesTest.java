package dev.porta.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.EmbeddedPorta;
import dev.porta.server.testing.TestCa;
import dev.porta.spi.Body;
import dev.porta.spi.CertificateProvider;
import dev.porta.spi.ConfigException;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Response;
import dev.porta.spi.TlsCertificate;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS whose certificates come from a plugin's {@link CertificateProvider}: SNI, changes, fail-closed start-up. */
@Timeout(60)
class ProvidedCertificatesTest {

    @TempDir
    static Path www;
    static TestCa ca;

    @BeforeAll
    static void site() throws IOException {
        ca = TestCa.create();
        Files.writeString(www.resolve("index.html"), "hello\n");
    }

    /** Serves one certificate per host name, replaceable, counting how often Porta asks. */
    static class Provider implements CertificateProvider {
        final Set<String> names;
        volatile TlsCertificate current;
        volatile PluginContext context;
        final AtomicInteger asked = new AtomicInteger();

        Provider(Set<String> names, TestCa.Issued issued) {
            this.names = names;
            this.current = issued == null ? null : TlsCertificate.of(issued.key(), List.of(issued.cert()));
        }

        @Override
        public void start(PluginContext context) {
            this.context = context;
            context.settings().get("domains"); // its setting, as a real provider (acme.domains) has
        }

        @Override
        public Set<String> hostNames() {
            return names;
        }

        @Override
        public Optional<TlsCertificate> certificate(String hostName) {
            asked.incrementAndGet();
            if (hostName.equals("boom.test")) throw new IllegalStateException("broken provider");
            return names.contains(hostName) || hostName.isEmpty() ? Optional.ofNullable(current) : Optional.empty();
        }
    }

    private static BigInteger servedSerial(int port, String sni) throws IOException {
        try (SSLSocket s = ca.connect(port, sni)) {
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    void aPluginsCertificateServesHttpsWithoutCertificateFilesAndAChangeReachesTheNextHandshake() throws Exception {
        TestCa.Issued first = ca.issue("EC", "localhost");
        Provider provider = new Provider(Set.of("localhost"), first);
        try (EmbeddedPorta porta = EmbeddedPorta.builder(www).config("server.https.port = 0\ncerts.domains = localhost\n")
                .handler("site", (request, chain) -> Response.of(200).withBody(Body.of("ok\n")))
                .certificateProvider("certs", provider).start()) {
            assertEquals(first.serial(), servedSerial(porta.httpsPort(), "localhost"));
            assertEquals(first.serial(), servedSerial(porta.httpsPort(), null), "no SNI, no files: the provider's default");
            int askedBefore = provider.asked.get();
            servedSerial(porta.httpsPort(), "localhost");
            assertEquals(askedBefore, provider.asked.get(), "an answer is kept until the plugin says it changed");

            TestCa.Issued second = ca.issue("EC", "localhost");
            provider.current = TlsCertificate.of(second.key(), List.of(second.cert()));
            assertEquals(first.serial(), servedSerial(porta.httpsPort(), "localhost"), "not told yet: the kept answer serves");
            provider.context.certificatesChanged();
            assertEquals(second.serial(), servedSerial(porta.httpsPort(), "localhost"));
        }
    }

    @Test
    void filesCoverTheirNamesFirstAndAThrowingProviderCostsOnlyThatHandshake() throws Exception {
        Path dir = Files.createTempDirectory(www, "files");
        TestCa.Issued file = ca.issue("EC", "files.test");
        TestCa.writePem(file, dir.resolve("chain.pem"), dir.resolve("key.pem"), TestCa.KeyFormat.PKCS8);
        TestCa.Issued plugin = ca.issue("EC", "localhost", "files.test");
        Provider provider = new Provider(Set.of("localhost", "files.test"), plugin);
        try (EmbeddedPorta porta = EmbeddedPorta.builder(www)
                .config("server.https.port = 0\nserver.https.cert.a = %1$s/chain.pem, %1$s/key.pem\n".formatted(dir))
                .certificateProvider("certs", provider).start()) {
            assertEquals(file.serial(), servedSerial(porta.httpsPort(), "files.test"), "a file covering the name wins");
            assertEquals(plugin.serial(), servedSerial(porta.httpsPort(), "localhost"), "a name no file covers: the plugin's");
            assertEquals(file.serial(), servedSerial(porta.httpsPort(), null), "no SNI: the first file, the default");
            // the provider throws for this name: the default file serves it (and fails the client's name check)
            assertThrows(SSLException.class, () -> servedSerial(porta.httpsPort(), "boom.test"));
            assertEquals(plugin.serial(), servedSerial(porta.httpsPort(), "localhost"), "the server goes on");
        }
    }

    @Test
    void httpsWithNoCertificateSourceStopsStartUpWithFileAndLine() {
        ConfigException none = assertThrows(ConfigException.class,
                () -> EmbeddedPorta.builder(www).config("# https\nserver.https.port = 0\n").start());
        assertTrue(none.getMessage().startsWith("test.properties:2: server.https.port: HTTPS needs a certificate"), none.getMessage());
        // a provider plugin without settings is no source either: refused before it starts
        Provider unset = new Provider(Set.of("localhost"), ca.issue("EC", "localhost"));
        ConfigException idle = assertThrows(ConfigException.class, () -> EmbeddedPorta.builder(www).config("server.https.port = 0\n")
                .certificateProvider("certs", unset).start());
        assertTrue(idle.getMessage().startsWith("test.properties:1: server.https.port: HTTPS needs a certificate"), idle.getMessage());
        assertNull(unset.context, "refused before the plugin's start() ran");
        // one with settings that serves no name after all: the check after start-up still refuses
        ConfigException none2 = assertThrows(ConfigException.class, () -> EmbeddedPorta.builder(www)
                .config("server.https.port = 0\ncerts.domains = nothing.test\n").certificateProvider("certs", new Provider(Set.of(), null)).start());
        assertTrue(none2.getMessage().startsWith("test.properties:1: server.https.port: HTTPS needs a certificate"), none2.getMessage());
    }

    @Test
    void aPluginThatServesCertificatesWhileHttpsIsOffStopsStartUpAtItsSetting() {
        Provider reading = new Provider(Set.of("localhost"), ca.issue("EC", "localhost"));
        ConfigException e = assertThrows(ConfigException.class, () -> EmbeddedPorta.builder(www)
                .config("server.port = 0\ncerts.domains = localhost\n").certificateProvider("certs", reading).start());
        assertTrue(e.getMessage().startsWith("test.properties:2: certs.domains: plugin certs provides HTTPS certificates, but HTTPS is off"),
                e.getMessage());
        // found before any plugin starts: an ACME client would already have written its key and called its CA
        assertNull(reading.context, "refused before the plugin's start() ran");
    }
}
