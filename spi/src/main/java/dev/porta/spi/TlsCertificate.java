package dev.porta.spi;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A certificate that a {@link CertificateProvider} hands to the HTTPS listener: its private key and its
 * chain, the certificate first, then the intermediates (the root may be left out, as a full-chain file
 * leaves it). Immutable. A final class with a factory, so that later 1.x versions can add to it (an OCSP
 * staple, say).
 *
 * <p>{@link #toString()} names the subject and the validity, never the key.
 */
public final class TlsCertificate {

    private final PrivateKey key;
    private final List<X509Certificate> chain;

    private TlsCertificate(PrivateKey key, List<X509Certificate> chain) {
        this.key = Objects.requireNonNull(key, "key");
        this.chain = List.copyOf(chain);
        if (this.chain.isEmpty()) throw new IllegalArgumentException("a certificate chain needs at least the certificate");
    }

    /**
     * The certificate {@code chain.get(0)} with its {@code key}, and the intermediates after it.
     *
     * @throws IllegalArgumentException when the chain is empty
     */
    public static TlsCertificate of(PrivateKey key, List<X509Certificate> chain) {
        return new TlsCertificate(key, chain);
    }

    /** The private key of the certificate. */
    public PrivateKey key() {
        return key;
    }

    /** The chain: the certificate first, then the intermediates. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The certificate itself ({@code chain().get(0)}). */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** When the certificate stops being valid. */
    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    @Override
    public String toString() { // never the key
        X509Certificate c = certificate();
        return c.getSubjectX500Principal().getName() + " (serial " + c.getSerialNumber().toString(16) + ", valid "
                + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + ")";
    }
}
