package dev.porta.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Porta's TLS policy and the JSSE context that applies it: TLS 1.3 and 1.2 only; for 1.2 only ECDHE key
 * exchange with AEAD ciphers (Mozilla's "intermediate" list without its DHE suites), in the server's order;
 * the groups X25519, P-256, P-384; ALPN {@code http/1.1}; session resumption (JSSE's session cache and
 * TLS 1.3 tickets); client-initiated renegotiation refused (a system property JSSE reads once, set by
 * {@code Porta.main} and here, before the first server handshake).
 */
public final class TlsContext {

    /** The system property that makes JSSE refuse a client's renegotiation (read when JSSE first handshakes). */
    public static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    static final List<String> GROUPS = List.of("x25519", "secp256r1", "secp384r1");
    /** ALPN: HTTP/1.1 only for now; {@code h2} would go first here. */
    static final List<String> APPLICATION_PROTOCOLS = List.of("http/1.1");

    static {
        if (System.getProperty(REJECT_RENEGOTIATION) == null) System.setProperty(REJECT_RENEGOTIATION, "true");
    }

    private final SSLSocketFactory factory;
    private final SSLParameters parameters;

    private TlsContext(SSLSocketFactory factory, SSLParameters parameters) {
        this.factory = factory;
        this.parameters = parameters;
    }

    /** The context that serves {@code certificates}, always their current versions. */
    public static TlsContext of(Certificates certificates) {
        return of(certificates, ProvidedCertificates.none());
    }

    /**
     * The context that serves {@code certificates}, always their current versions, and for the names they
     * do not cover the certificates that plugins give ({@code provided}).
     */
    public static TlsContext of(Certificates certificates, ProvidedCertificates provided) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new SniKeyManager(certificates::current, provided)}, null, new SecureRandom());
            context.getServerSessionContext().setSessionTimeout(24 * 3600);
            SSLParameters p = context.getDefaultSSLParameters();
            p.setProtocols(PROTOCOLS.toArray(String[]::new));
            p.setCipherSuites(CIPHER_SUITES.toArray(String[]::new));
            p.setUseCipherSuitesOrder(true);
            p.setNamedGroups(GROUPS.toArray(String[]::new));
            p.setApplicationProtocols(APPLICATION_PROTOCOLS.toArray(String[]::new));
            p.setNeedClientAuth(false);
            return new TlsContext(context.getSocketFactory(), p);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make a TLS context: " + e, e);
        }
    }

    /**
     * A server-side TLS socket over {@code socket}, whose first bytes {@code consumed} were already read
     * (to tell TLS from plain HTTP). Closing it closes {@code socket}. The handshake has not begun.
     */
    public SSLSocket layer(Socket socket, byte[] consumed) throws IOException {
        SSLSocket ssl = (SSLSocket) factory.createSocket(socket, new ByteArrayInputStream(consumed), true);
        ssl.setSSLParameters(parameters);
        ssl.setUseClientMode(false);
        return ssl;
    }
}
