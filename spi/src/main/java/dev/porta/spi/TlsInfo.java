package dev.porta.spi;

import java.util.Objects;

/**
 * What the TLS handshake of a connection agreed on, for handlers and logs ({@link Request#tls()}).
 * A final class with a factory, so that later 1.x versions can add to it (the client certificate, say).
 */
public final class TlsInfo {

    private final String protocol;
    private final String cipherSuite;

    private TlsInfo(String protocol, String cipherSuite) {
        this.protocol = Objects.requireNonNull(protocol);
        this.cipherSuite = Objects.requireNonNull(cipherSuite);
    }

    /** The facts of one connection, e.g. {@code of("TLSv1.3", "TLS_AES_128_GCM_SHA256")}. */
    public static TlsInfo of(String protocol, String cipherSuite) {
        return new TlsInfo(protocol, cipherSuite);
    }

    /** The protocol, as the JDK names it: {@code TLSv1.3} or {@code TLSv1.2}. */
    public String protocol() {
        return protocol;
    }

    /** The cipher suite's standard name, e.g. {@code TLS_AES_128_GCM_SHA256}. */
    public String cipherSuite() {
        return cipherSuite;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsInfo t && t.protocol.equals(protocol) && t.cipherSuite.equals(cipherSuite);
    }

    @Override
    public int hashCode() {
        return protocol.hashCode() * 31 + cipherSuite.hashCode();
    }

    @Override
    public String toString() {
        return protocol + " " + cipherSuite;
    }
}
