package dev.porta.spi;

import java.util.Optional;
import java.util.Set;
import org.pf4j.ExtensionPoint;

/**
 * Gives the HTTPS listener certificates that no {@code server.https.cert.*} file holds: obtained from a CA
 * at run time (the {@code acme} plugin), made on the fly, or read from a secrets store.
 *
 * <p>On a TLS handshake Porta picks a certificate by the host name the client asked for (SNI): a
 * configured certificate file whose names cover it first; else it asks each provider, in load order,
 * {@link #certificate(String)}; the first answer serves. A client that sends no SNI gets the first
 * configured file, or, without files, the providers' answer for the empty name. Porta keeps each answer
 * per host name until the plugin calls {@link PluginContext#certificatesChanged()}: call it whenever a
 * certificate is obtained, renewed or replaced, and the next handshakes get the new one (open
 * connections keep theirs).
 *
 * <p>{@code server.https.port} with no {@code server.https.cert.*} line turns HTTPS on only when a
 * provider serves some name ({@link #hostNames()} not empty after {@link Lifecycle#start}); otherwise
 * Porta does not start, so that HTTPS never runs without a certificate.
 *
 * <p>{@link #certificate(String)} runs inside handshakes, on connection threads, many at once: answer from
 * memory, quickly, and never wait on the network there (start-up does not wait either: until a real
 * certificate exists, answer with a stand-in, e.g. a short-lived self-signed one). An exception is logged
 * and counts as no answer. New methods in later 1.x versions are {@code default} methods.
 *
 * <pre>{@code
 * @Extension
 * public final class OneCertificate implements CertificateProvider {
 *     private volatile TlsCertificate current;       // replaced by a renewal thread
 *     private PluginContext context;
 *
 *     public void start(PluginContext context) { this.context = context; current = load(); }
 *
 *     public Set<String> hostNames() { return Set.of("example.org"); }
 *
 *     public Optional<TlsCertificate> certificate(String hostName) {
 *         return hostName.equals("example.org") || hostName.isEmpty() ? Optional.of(current) : Optional.empty();
 *     }
 *
 *     void renewed(TlsCertificate fresh) { current = fresh; context.certificatesChanged(); }
 * }
 * }</pre>
 *
 * @since 1.1.0
 */
public interface CertificateProvider extends ExtensionPoint, Lifecycle {

    /**
     * The host names this provider serves certificates for, lower case (e.g. {@code example.org}), known
     * once {@link Lifecycle#start} has run; empty when it serves none (a plugin without settings stays idle).
     * Porta reads it at start-up to tell whether HTTPS has a certificate source, and to log what is served.
     */
    Set<String> hostNames();

    /**
     * The certificate for a handshake that asked for {@code hostName}, if this provider has one.
     *
     * @param hostName the SNI host name, lower case ASCII (an IDN in its {@code xn--} form), or {@code ""}
     *                 when the client sent none (an address in the URL, an old client): answer with a
     *                 default certificate, or empty
     * @return the certificate to serve, or empty to let the next provider (or the default) serve
     */
    Optional<TlsCertificate> certificate(String hostName);
}
