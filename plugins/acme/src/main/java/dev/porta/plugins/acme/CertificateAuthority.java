package dev.porta.plugins.acme;

import dev.porta.spi.TlsCertificate;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.tinylog.TaggedLogger;

/**
 * Obtains one certificate from the ACME directory (RFC 8555) with acme4j: the account (stored key; its
 * URL stored per directory, so that later orders need no account request), an order for one domain, its
 * HTTP-01 challenge answered by {@link Challenges}, a new key and CSR, the chain. Blocking; runs on the
 * renewal thread only. Never logs a key or a key authorization.
 */
final class CertificateAuthority {

    /** The longest wait for one validation or for the order to be issued. */
    static final Duration WAIT = Duration.ofSeconds(90);

    private final AcmeSettings settings;
    private final AcmeStore store;
    private final Challenges challenges;
    private final TaggedLogger log;
    private final SSLContext directoryTls;

    CertificateAuthority(AcmeSettings settings, AcmeStore store, Challenges challenges, TaggedLogger log) {
        this.settings = settings;
        this.store = store;
        this.challenges = challenges;
        this.log = log;
        this.directoryTls = settings.directoryCa().isEmpty() ? null : trusting(settings.directoryCa());
    }

    private static SSLContext trusting(List<X509Certificate> cas) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < cas.size(); i++) trust.setCertificateEntry("ca-" + i, cas.get(i));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the acme.directory-ca certificates: " + e, e);
        }
    }

    /** A session with the directory: acme4j's generic provider (no ServiceLoader: the plugin's class loader is not the context one). */
    private Session session() {
        SSLContext tls = directoryTls;
        return new Session(settings.directory(), new GenericAcmeProvider() {
            @Override
            public HttpClient createHttpClient(NetworkSettings network) {
                HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                        .connectTimeout(network.getTimeout()).proxy(network.getProxySelector());
                if (tls != null) b.sslContext(tls);
                return b.build();
            }
        });
    }

    /** Obtains a new certificate for {@code domain}. */
    TlsCertificate obtain(String domain) throws AcmeException, IOException, GeneralSecurityException, InterruptedException {
        Session session = session();
        Login login = login(session);
        Order order;
        try {
            order = login.newOrder().domain(domain).create();
        } catch (AcmeServerException e) { // AcmeUnauthorizedException among them
            if (!isUnknownAccount(e)) throw e;
            // the CA forgot the account (a reset test CA, a deactivated account): register again, once
            log.warn("The account stored for {} is unknown there ({}): registering again", settings.directoryName(), e.getMessage());
            store.accountUrl(settings.directory(), null);
            login = login(session);
            order = login.newOrder().domain(domain).create();
        }
        for (Authorization authorization : order.getAuthorizations()) {
            if (authorization.getStatus() != Status.VALID) validate(domain, authorization);
        }
        Status ready = order.waitUntilReady(WAIT);
        if (ready != Status.READY && ready != Status.VALID) throw new AcmeException("the order is " + ready + problem(order.getError()));
        KeyPair key = AcmeStore.newEcKey();
        if (ready == Status.READY) order.execute(key);
        Status done = order.waitForCompletion(WAIT);
        if (done != Status.VALID) throw new AcmeException("the order ended " + done + problem(order.getError()));
        List<X509Certificate> chain = order.getCertificate().getCertificateChain();
        return TlsCertificate.of(key.getPrivate(), chain);
    }

    private static boolean isUnknownAccount(AcmeException e) {
        return e instanceof AcmeServerException s && s.getType() != null
                && (s.getType().toString().endsWith(":accountDoesNotExist") || s.getType().toString().endsWith(":unauthorized"));
    }

    private Login login(Session session) throws AcmeException, IOException, GeneralSecurityException {
        KeyPair key = store.accountKey();
        Optional<URL> known = store.accountUrl(settings.directory());
        if (known.isPresent()) return session.login(known.get(), key);
        AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(key);
        settings.email().ifPresent(builder::addEmail);
        URL url = builder.create(session).getLocation();
        store.accountUrl(settings.directory(), url);
        log.info("Account at {} registered ({}); its key is in {}", settings.directoryName(), url, store.folder().resolve("account.key"));
        return session.login(url, key);
    }

    private void validate(String domain, Authorization authorization) throws AcmeException, InterruptedException {
        Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class)
                .orElseThrow(() -> new AcmeException(settings.directoryName() + " offers no http-01 challenge for " + domain));
        String token = challenge.getToken();
        challenges.put(token, challenge.getAuthorization());
        try {
            challenge.trigger();
            Status status = challenge.waitForCompletion(WAIT);
            if (status != Status.VALID) {
                throw new AcmeException("the CA could not validate http://" + domain + Challenges.PREFIX + "…: " + status
                        + problem(challenge.getError()));
            }
        } finally {
            challenges.remove(token);
        }
    }

    private static String problem(Optional<Problem> problem) {
        return problem.map(p -> " (" + p.getDetail().orElse(p.getType().toString()) + ")").orElse("");
    }
}
