package dev.porta.plugins.acme;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text of keys (PKCS#8, SubjectPublicKeyInfo) and certificate chains, with the JDK alone. */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private Pem() {
    }

    static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A key pair as two blocks: {@code PRIVATE KEY} (PKCS#8) and {@code PUBLIC KEY}. */
    static String keyPair(KeyPair pair) {
        return block("PRIVATE KEY", pair.getPrivate().getEncoded()) + block("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    /** Reads what {@link #keyPair} wrote. */
    static KeyPair readKeyPair(String text) throws GeneralSecurityException {
        byte[] priv = first(text, "PRIVATE KEY");
        byte[] pub = first(text, "PUBLIC KEY");
        if (priv == null || pub == null) throw new GeneralSecurityException("expected a PRIVATE KEY and a PUBLIC KEY block");
        String algorithm = algorithmOf(priv);
        KeyFactory factory = KeyFactory.getInstance(algorithm);
        return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(pub)), factory.generatePrivate(new PKCS8EncodedKeySpec(priv)));
    }

    /** A private key as a {@code PRIVATE KEY} (PKCS#8) block. */
    static String privateKey(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    /** Reads a {@code PRIVATE KEY} (PKCS#8) block. */
    static PrivateKey readPrivateKey(String text) throws GeneralSecurityException {
        byte[] der = first(text, "PRIVATE KEY");
        if (der == null) throw new GeneralSecurityException("no PRIVATE KEY block");
        return KeyFactory.getInstance(algorithmOf(der)).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** A chain as {@code CERTIFICATE} blocks, the certificate first. */
    static String chain(List<X509Certificate> chain) throws CertificateEncodingException {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : chain) out.append(block("CERTIFICATE", c.getEncoded()));
        return out.toString();
    }

    /** Reads {@code CERTIFICATE} blocks. */
    static List<X509Certificate> readChain(String text) throws CertificateException {
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))
                .stream().map(X509Certificate.class::cast).toList();
    }

    private static byte[] first(String text, String type) {
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) return Base64.getMimeDecoder().decode(m.group(2));
        }
        return null;
    }

    /** EC or RSA, from the PKCS#8 structure's algorithm identifier (tried: the JDK has no cheaper way). */
    private static String algorithmOf(byte[] pkcs8) throws GeneralSecurityException {
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                return algorithm;
            } catch (GeneralSecurityException e) {
                // the other one
            }
        }
        throw new GeneralSecurityException("neither an EC nor an RSA key");
    }
}
