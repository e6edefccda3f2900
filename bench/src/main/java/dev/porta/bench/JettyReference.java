package dev.porta.bench;

import java.nio.file.Path;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The Jetty 12 reference: a ResourceHandler over a folder, on Jetty's VirtualThreadPool; with a PKCS#12
 * store, also HTTPS (JSSE) with Porta's protocols and suites, for the TLS scenarios.
 */
public final class JettyReference {

    /** Porta's TLS 1.3 and 1.2 suites (dev.porta.server.tls.TlsContext), so that both do the same work. */
    private static final String[] SUITES = {
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};

    private JettyReference() {
    }

    /** {@code JettyReference PORT ROOT [TLS-PORT STORE.p12 PASSWORD]}. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path root = Path.of(args[1]).toAbsolutePath();
        Server server = new Server(new VirtualThreadPool());
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        if (args.length >= 5) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(Path.of(args[3]).toAbsolutePath().toString());
            tls.setKeyStoreType("PKCS12");
            tls.setKeyStorePassword(args[4]);
            tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            tls.setIncludeCipherSuites(SUITES);
            tls.setUseCipherSuitesOrder(true);
            tls.setRenegotiationAllowed(false);
            HttpConfiguration https = new HttpConfiguration();
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            ServerConnector tlsConnector = new ServerConnector(server, tls, new HttpConnectionFactory(https));
            tlsConnector.setHost("127.0.0.1");
            tlsConnector.setPort(Integer.parseInt(args[2]));
            server.addConnector(tlsConnector);
        }
        ResourceHandler resources = new ResourceHandler();
        resources.setBaseResource(ResourceFactory.of(resources).newResource(root));
        resources.setDirAllowed(false);
        server.setHandler(resources);
        server.start();
        System.out.println("Jetty listening on http://127.0.0.1:" + port + "/");
        server.join();
    }
}
