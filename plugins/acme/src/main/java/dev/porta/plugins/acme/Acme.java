package dev.porta.plugins.acme;

import dev.porta.spi.Body;
import dev.porta.spi.CertificateProvider;
import dev.porta.spi.Chain;
import dev.porta.spi.Handler;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import dev.porta.spi.TlsCertificate;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.pf4j.Extension;

/**
 * HTTPS certificates over ACME (RFC 8555): for each of {@code acme.domains} a certificate from the
 * directory ({@code acme.directory}, Let's Encrypt by default), obtained and renewed by {@link Renewals}
 * and given to the HTTPS listener by SNI name; and the handler that answers the CA's HTTP-01 requests,
 * {@code /.well-known/acme-challenge/TOKEN}. Ordinal 10: before access-control (100), so that a site-wide
 * restricted area never answers the CA with 401. Without any {@code acme.*} setting the plugin is idle.
 */
@Extension(ordinal = 10)
public final class Acme implements Handler, CertificateProvider {

    private final Challenges challenges = new Challenges();
    private volatile Renewals renewals;

    @Override
    public void check(PluginContext context) {
        AcmeSettings.read(context.settings());
    }

    @Override
    public void start(PluginContext context) {
        Optional<AcmeSettings> settings = AcmeSettings.read(context.settings());
        if (settings.isEmpty()) {
            context.logger().info("idle: no acme.domains (HTTPS certificates from an ACME CA need acme.domains = example.org)");
            return;
        }
        AcmeSettings s = settings.get();
        AcmeStore store = new AcmeStore(context.dataDirectory());
        context.neverServe(store.folder()); // already so (the data folder), said again for whoever moves it
        Renewals r = new Renewals(s, store, new CertificateAuthority(s, store, challenges, context.logger())::obtain,
                context::certificatesChanged, context.logger(), Backoff.DEFAULT, Clock.systemUTC());
        context.logger().info("certificates for {} from {}, kept in {}", String.join(", ", s.domains()), s.directoryName(), store.folder());
        r.start();
        renewals = r;
    }

    /** The challenges being validated (for tests). */
    Challenges challenges() {
        return challenges;
    }

    @Override
    public void stop() {
        Renewals r = renewals;
        if (r != null) r.close();
    }

    @Override
    public Set<String> hostNames() {
        Renewals r = renewals;
        return r == null ? Set.of() : r.domains();
    }

    @Override
    public Optional<TlsCertificate> certificate(String hostName) {
        Renewals r = renewals;
        return r == null ? Optional.empty() : r.certificate(hostName);
    }

    @Override
    public Response handle(Request request, Chain chain) throws IOException {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) return chain.next(request);
        Optional<String> answer = challenges.answer(request.path());
        if (answer.isEmpty()) return chain.next(request); // not ours (certbot's --webroot files are static-index's)
        return Response.of(200).withHeader("Content-Type", "text/plain").withHeader("Cache-Control", "no-store")
                .withBody(Body.of(answer.get()));
    }
}
