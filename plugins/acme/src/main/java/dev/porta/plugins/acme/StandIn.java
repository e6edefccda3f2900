package dev.porta.plugins.acme;

import dev.porta.spi.TlsCertificate;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The short-lived self-signed certificate HTTPS serves for a domain until the CA's arrives, so that HTTPS
 * listens from the first second and start-up never waits on the CA. Browsers warn about it, which is
 * right: it proves nothing. Made in memory, never stored.
 */
final class StandIn {

    /** The subject's organisation, which says what the certificate is to whoever looks at it. */
    static final String ORGANIZATION = "Porta acme stand-in: self-signed until the CA issues a certificate";

    /** How long a stand-in is valid; a new one is made before it ends if the CA is still not there. */
    static final Duration LIFETIME = Duration.ofDays(1);

    private StandIn() {
    }

    /** A new self-signed certificate for {@code domain}, valid from a minute ago for {@link #LIFETIME}. */
    static TlsCertificate make(String domain, Instant now) {
        try {
            KeyPair keys = AcmeStore.newEcKey();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, domain)
                    .addRDN(BCStyle.O, ORGANIZATION).build();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(LIFETIME)), name, keys.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, domain)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return TlsCertificate.of(keys.getPrivate(), List.of(new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())))));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e, e);
        }
    }

    /** Whether {@code certificate} is a stand-in made here (self-signed, by our subject). */
    static boolean isStandIn(TlsCertificate certificate) {
        return certificate.certificate().getSubjectX500Principal().getName().contains(ORGANIZATION);
    }
}
