package dev.porta.server.tls;

import dev.porta.spi.CertificateProvider;
import dev.porta.spi.TlsCertificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;

/**
 * The certificates that plugins provide ({@link CertificateProvider}), asked by SNI host name in load
 * order. Each answer, empty ones too, is kept per host name until a plugin says its certificates changed
 * ({@link #changed}), so that plugin code runs on few handshakes; at most {@link #MAX_HOSTS} names are
 * kept (a client can send any SNI name: past that the memory is emptied, never grown). A provider that
 * throws counts as having no answer, and is logged.
 */
public final class ProvidedCertificates {

    /** How many host names' answers are kept at most. */
    static final int MAX_HOSTS = 10_000;

    /**
     * One provider and the plugin it belongs to.
     *
     * @param pluginId the plugin's id, which names its certificates in the log and in aliases
     * @param provider the extension
     */
    public record Source(String pluginId, CertificateProvider provider) {
    }

    private final List<Source> sources;
    private final Map<String, Optional<Identity>> byHost = new ConcurrentHashMap<>();
    /** One identity per certificate object a provider handed out, so that its alias stays the same. */
    private final Map<TlsCertificate, Identity> identities = Collections.synchronizedMap(new IdentityHashMap<>());
    /** Bumped by {@link #changed}: an answer asked for before a change is not kept after it. */
    private final AtomicLong generation = new AtomicLong();

    /** The providers {@code sources}, asked in this order. */
    public ProvidedCertificates(List<Source> sources) {
        this.sources = List.copyOf(sources);
    }

    /** No provider. */
    public static ProvidedCertificates none() {
        return new ProvidedCertificates(List.of());
    }

    /** The host names the providers serve, in their order (empty: no provider serves any). */
    public Set<String> hostNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Source s : sources) {
            try {
                names.addAll(s.provider().hostNames());
            } catch (RuntimeException | LinkageError e) {
                Logger.warn("Plugin {} cannot tell which host names it has certificates for: {}", s.pluginId(), e.toString());
            }
        }
        return names;
    }

    /** The plugins whose providers serve some name. */
    public List<String> servingPlugins() {
        List<String> ids = new ArrayList<>();
        for (Source s : sources) {
            try {
                if (!s.provider().hostNames().isEmpty()) ids.add(s.pluginId());
            } catch (RuntimeException | LinkageError e) {
                // logged by hostNames()
            }
        }
        return ids;
    }

    /** The certificate for {@code host} ({@code ""}: no SNI), from the first provider that has one. */
    Optional<Identity> forHost(String host) {
        Optional<Identity> known = byHost.get(host);
        if (known != null) return known;
        long asked = generation.get();
        Optional<Identity> answer = ask(host);
        if (byHost.size() >= MAX_HOSTS) byHost.clear();
        byHost.put(host, answer);
        // a change came while the providers were asked: the answer may be the old certificate
        if (generation.get() != asked) byHost.remove(host);
        return answer;
    }

    private Optional<Identity> ask(String host) {
        for (Source s : sources) {
            try {
                Optional<TlsCertificate> answer = s.provider().certificate(host);
                if (answer != null && answer.isPresent()) {
                    TlsCertificate certificate = answer.get();
                    return Optional.of(identities.computeIfAbsent(certificate, c ->
                            Identity.of(s.pluginId(), c.key(), c.chain().toArray(java.security.cert.X509Certificate[]::new))));
                }
            } catch (RuntimeException | LinkageError e) {
                Logger.warn("Plugin {} failed to give a certificate for '{}' (no certificate from it for that name): {}",
                        s.pluginId(), host, e.toString());
            }
        }
        return Optional.empty();
    }

    /** The identities handed out and still kept: handshakes may be using them. */
    List<Identity> inUse() {
        List<Identity> all = new ArrayList<>();
        for (Optional<Identity> i : byHost.values()) i.ifPresent(all::add);
        return all;
    }

    /**
     * Forgets every kept answer: plugin {@code pluginId} says a certificate it serves changed. The next
     * handshakes ask the providers again.
     */
    public void changed(String pluginId) {
        generation.incrementAndGet();
        byHost.clear();
        synchronized (identities) {
            identities.clear();
        }
        Logger.debug("Plugin {} changed its certificates", pluginId);
    }
}
