package dev.porta.server.deploy.sample;

import dev.porta.spi.CertificateProvider;
import dev.porta.spi.Chain;
import dev.porta.spi.Handler;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import dev.porta.spi.TlsCertificate;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.pf4j.Extension;

/** A hot-deploy test plugin that is a certificate provider (with no certificate) and answers {@code /certs}. */
@Extension(ordinal = 70)
public final class ProvidesCertificates implements Handler, CertificateProvider {

    @Override
    public Set<String> hostNames() {
        return Set.of();
    }

    @Override
    public Optional<TlsCertificate> certificate(String hostName) {
        return Optional.empty();
    }

    @Override
    public Response handle(Request request, Chain chain) throws IOException {
        return request.path().equals("/certs") ? Response.of(200) : chain.next(request);
    }
}
