package dev.porta.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made in a test (BouncyCastle): issues server certificates for DNS names and
 * writes them the way certbot and openssl do (a PEM chain and a PEM key in PKCS#8, PKCS#1 or SEC1, or a
 * PKCS#12 store), and gives clients that trust it.
 */
public final class TestCa {

    /** How a key is written. */
    public enum KeyFormat { PKCS8, TRADITIONAL }

    /** An issued certificate and its key. */
    public record Issued(PrivateKey key, X509Certificate cert) {
        /** The certificate's serial number. */
        public BigInteger serial() {
            return cert.getSerialNumber();
        }
    }

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
    private final KeyPair caKeys;
    private final X509Certificate caCert;

    private TestCa(KeyPair caKeys, X509Certificate caCert) {
        this.caKeys = caKeys;
        this.caCert = caCert;
    }

    /** A new CA with an EC P-256 key. */
    public static TestCa create() {
        try {
            KeyPair keys = keyPair("EC");
            X500Name name = new X500Name("CN=Porta Test CA");
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(365))),
                    name, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new TestCa(keys, cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair: {@code RSA} (2048 bits) or {@code EC} (P-256). */
    public static KeyPair keyPair(String algorithm) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) g.initialize(new ECGenParameterSpec("secp256r1"));
        else g.initialize(2048);
        return g.generateKeyPair();
    }

    /** A server certificate for {@code dnsNames} with a new {@code algorithm} key (RSA or EC). */
    public Issued issue(String algorithm, String... dnsNames) {
        try {
            return issue(keyPair(algorithm), null, dnsNames);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server certificate for {@code dnsNames} and {@code keys}, with a CRL URI when {@code crl} is given. */
    public Issued issue(KeyPair keys, String crl, String... dnsNames) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(90))),
                    new X500Name("CN=" + dnsNames[0]), keys.getPublic());
            GeneralName[] names = new GeneralName[dnsNames.length];
            for (int i = 0; i < dnsNames.length; i++) names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            boolean rsa = keys.getPublic().getAlgorithm().equals("RSA");
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | (rsa ? KeyUsage.keyEncipherment : 0)));
            if (crl != null) {
                GeneralNames uri = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crl));
                b.addExtension(Extension.cRLDistributionPoints, false,
                        new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(new DistributionPointName(uri), null, null)}));
            }
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
            return new Issued(keys.getPrivate(), cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code issued}'s chain to {@code chainFile} and its key to {@code keyFile}: PKCS#8, or the
     * traditional PKCS#1 (RSA) or SEC1 (EC) form exactly as {@code openssl pkey -traditional} writes it.
     */
    public static void writePem(Issued issued, Path chainFile, Path keyFile, KeyFormat format) {
        try {
            Files.writeString(chainFile, pem(issued.cert()));
            Files.writeString(keyFile, pem(new JcaPKCS8Generator(issued.key(), null)));
            if (format == KeyFormat.TRADITIONAL) {
                Path pkcs8 = keyFile.resolveSibling(keyFile.getFileName() + ".pkcs8");
                Files.move(keyFile, pkcs8);
                Process p = new ProcessBuilder("openssl", "pkey", "-in", pkcs8.toString(), "-traditional", "-out", keyFile.toString())
                        .redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) throw new IOException("openssl pkey failed: " + output);
                Files.delete(pkcs8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code issued} as a PKCS#12 store. */
    public void writeP12(Issued issued, Path file, String password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", issued.key(), password.toCharArray(), new X509Certificate[] {issued.cert(), caCert});
            try (var out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the CA certificate as PEM (for {@code openssl s_client -CAfile}). */
    public Path writeCaPem(Path file) {
        try {
            Files.writeString(file, pem(caCert));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An SSL context whose clients trust this CA only. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", caCert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A TLS socket to 127.0.0.1:{@code port}, its handshake done, sending SNI {@code serverName} (none when
     * null) and checking the certificate against {@code serverName} (or {@code localhost}).
     */
    public SSLSocket connect(int port, String serverName, String... protocols) throws IOException {
        SSLSocket socket = (SSLSocket) clientContext().getSocketFactory().createSocket(new Socket("127.0.0.1", port),
                serverName == null ? "localhost" : serverName, port, true);
        SSLParameters p = socket.getSSLParameters();
        p.setServerNames(serverName == null ? java.util.List.of() : java.util.List.of(new SNIHostName(serverName)));
        if (serverName != null) p.setEndpointIdentificationAlgorithm("HTTPS");
        if (protocols.length > 0) p.setProtocols(protocols);
        socket.setSSLParameters(p);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static String pem(Object o) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            if (o instanceof org.bouncycastle.util.io.pem.PemObjectGenerator g) w.writeObject(g);
            else w.writeObject(o);
        }
        return text.toString();
    }
}
