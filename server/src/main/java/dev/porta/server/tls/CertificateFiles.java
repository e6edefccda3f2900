package dev.porta.server.tls;

import dev.porta.server.config.HttpsConfig.CertificateSpec;
import dev.porta.spi.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a certificate from its files: a PEM full chain and an unencrypted PEM key (PKCS#8, PKCS#1 RSA or
 * SEC1 EC, as certbot and openssl write them; BouncyCastle reads the last two), or a PKCS#12 store.
 * Checks that the key belongs to the certificate. Every problem is a {@link ConfigException} naming the
 * config line; no message ever holds key material or the password.
 */
final class CertificateFiles {

    private CertificateFiles() {
    }

    /** Reads {@code spec}'s files. */
    static Identity read(CertificateSpec spec) {
        Identity identity = spec.isStore() ? readStore(spec) : readPem(spec);
        X509Certificate cert = identity.chain()[0];
        if (!matches(identity.key(), cert.getPublicKey())) {
            throw spec.invalid("the key in " + spec.keyFile() + " does not belong to the certificate "
                    + cert.getSubjectX500Principal().getName());
        }
        return identity;
    }

    private static Identity readPem(CertificateSpec spec) {
        Path chainFile = spec.files().get(0);
        Path keyFile = spec.files().get(1);
        X509Certificate[] chain;
        try (InputStream in = new ByteArrayInputStream(bytes(spec, chainFile))) {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) throw spec.invalid(chainFile + " holds no certificate");
            chain = certs.toArray(X509Certificate[]::new);
        } catch (GeneralSecurityException | IOException e) {
            throw spec.invalid(chainFile + " is not a PEM certificate chain (" + e.getMessage() + ")");
        }
        return Identity.of(spec.name(), readKey(spec, keyFile), chain);
    }

    private static PrivateKey readKey(CertificateSpec spec, Path keyFile) {
        String text = new String(bytes(spec, keyFile), StandardCharsets.US_ASCII);
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                switch (o) {
                    case PEMKeyPair pair -> { // PKCS#1 RSA, SEC1 EC
                        return converter.getPrivateKey(pair.getPrivateKeyInfo());
                    }
                    case PrivateKeyInfo info -> { // PKCS#8
                        return converter.getPrivateKey(info);
                    }
                    case PEMEncryptedKeyPair ignored -> throw encrypted(spec, keyFile);
                    case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(spec, keyFile);
                    default -> {
                        // a certificate or parameters beside the key: skip
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigException c) throw c;
            throw spec.invalid(keyFile + " is not a PEM private key (" + e.getMessage() + ")");
        }
        throw spec.invalid(keyFile + " holds no private key (expected BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static ConfigException encrypted(CertificateSpec spec, Path keyFile) {
        return spec.invalid(keyFile + " is encrypted: Porta needs an unencrypted key (openssl pkey -in KEY -out KEY.pem),"
                + " readable by Porta's user only");
    }

    private static Identity readStore(CertificateSpec spec) {
        Path file = spec.files().get(0);
        char[] password = spec.password().orElse("").toCharArray();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes(spec, file)), password);
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) continue;
                Key key = store.getKey(alias, password);
                Certificate[] chain = store.getCertificateChain(alias);
                if (key instanceof PrivateKey pk && chain != null && chain.length > 0) {
                    X509Certificate[] x509 = new X509Certificate[chain.length];
                    for (int i = 0; i < chain.length; i++) x509[i] = (X509Certificate) chain[i];
                    return Identity.of(spec.name(), pk, x509);
                }
            }
            throw spec.invalid(file + " holds no private key with its certificate");
        } catch (IOException e) {
            throw spec.invalid(file + " cannot be read as PKCS#12: wrong password, or not a PKCS#12 store");
        } catch (GeneralSecurityException e) {
            throw spec.invalid(file + " cannot be read as PKCS#12 (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] bytes(CertificateSpec spec, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw spec.invalid("cannot read " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /** Whether {@code key} is the private half of {@code pub}: sign a few bytes and verify them. */
    static boolean matches(PrivateKey key, PublicKey pub) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(pub.getAlgorithm())) return false;
        try {
            byte[] probe = "porta key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
