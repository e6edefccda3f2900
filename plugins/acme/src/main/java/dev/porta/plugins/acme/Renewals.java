package dev.porta.plugins.acme;

import dev.porta.spi.TlsCertificate;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.tinylog.TaggedLogger;

/**
 * The certificate of each domain and its renewal: a stored one is served and reused across restarts; a
 * new one is asked for when there is none, when it came from another directory, and when two thirds of
 * its life have passed. Until a domain has one from the CA, a short-lived self-signed {@link StandIn}
 * serves. One platform thread does every CA exchange, one domain after another; failures wait
 * {@link Backoff} (logged with the time of the next try), and the thread always sleeps between rounds,
 * so a broken CA or clock never makes it spin.
 */
final class Renewals implements AutoCloseable {

    /** Gets a certificate for a domain from the CA (blocking). */
    @FunctionalInterface
    interface Issuer {
        TlsCertificate obtain(String domain) throws Exception;
    }

    /** The shortest sleep between two rounds, whatever the schedule says. */
    static final Duration MIN_SLEEP = Duration.ofSeconds(1);
    /** A stand-in is replaced this long before it ends. */
    static final Duration STAND_IN_MARGIN = Duration.ofHours(1);

    /** One domain's state: written by the renewal thread only, read by handshakes. */
    private static final class Domain {
        final String name;
        volatile TlsCertificate served;
        volatile boolean fromCa;
        Instant next;
        int failures;

        Domain(String name) {
            this.name = name;
        }
    }

    private final Map<String, Domain> domains = new LinkedHashMap<>();
    private final URI directory;
    private final String directoryName;
    private final AcmeStore store;
    private final Issuer issuer;
    private final Runnable changed;
    private final TaggedLogger log;
    private final Backoff backoff;
    private final Clock clock;
    private final Object sleep = new Object();
    private final AtomicInteger attempts = new AtomicInteger();
    private Thread thread;
    private volatile boolean closed;

    Renewals(AcmeSettings settings, AcmeStore store, Issuer issuer, Runnable changed, TaggedLogger log, Backoff backoff, Clock clock) {
        for (String d : settings.domains()) domains.put(d, new Domain(d));
        this.directory = settings.directory();
        this.directoryName = settings.directoryName();
        this.store = store;
        this.issuer = issuer;
        this.changed = changed;
        this.log = log;
        this.backoff = backoff;
        this.clock = clock;
    }

    /** Serves what is stored (or a stand-in) at once, and starts the renewal thread; never waits on the CA. */
    void start() {
        Instant now = clock.instant();
        for (Domain d : domains.values()) {
            Optional<AcmeStore.Stored> stored = Optional.empty();
            try {
                stored = store.certificate(d.name);
            } catch (Exception e) {
                log.warn("The stored certificate for {} cannot be read ({}): a new one is asked for", d.name, e.toString());
            }
            if (stored.isPresent() && stored.get().certificate().notAfter().isAfter(now)
                    && stored.get().certificate().certificate().getNotBefore().toInstant().isBefore(now.plusSeconds(60))) {
                TlsCertificate c = stored.get().certificate();
                d.served = c;
                d.fromCa = true;
                boolean sameDirectory = directory.equals(stored.get().directory());
                d.next = sameDirectory ? renewalTime(c) : now;
                log.info("Reusing the stored certificate for {}: {}; {}", d.name, c,
                        sameDirectory ? "renewal at " + d.next.truncatedTo(ChronoUnit.SECONDS)
                                : "it came from " + stored.get().directory() + ": a new one is asked of " + directoryName);
            } else {
                standIn(d, now);
                d.next = now;
                log.info("HTTPS serves a self-signed certificate for {} (valid {}) until {} issues one{}", d.name,
                        StandIn.LIFETIME.toHours() + " h", directoryName, stored.isPresent() ? " (the stored one has expired)" : "");
            }
        }
        changed.run();
        thread = Thread.ofPlatform().name("acme-renewal").daemon().start(this::run);
    }

    /** Two thirds into the certificate's life (RFC 8555 leaves it to the client; Let's Encrypt advises this). */
    static Instant renewalTime(TlsCertificate c) {
        Instant from = c.certificate().getNotBefore().toInstant();
        Duration life = Duration.between(from, c.notAfter());
        return from.plus(life.multipliedBy(2).dividedBy(3));
    }

    private void standIn(Domain d, Instant now) {
        d.served = StandIn.make(d.name, now);
        d.fromCa = false;
    }

    private void run() {
        while (!closed) {
            Instant wake = round();
            Duration wait = Duration.between(clock.instant(), wake);
            if (wait.compareTo(MIN_SLEEP) < 0) wait = MIN_SLEEP;
            synchronized (sleep) {
                if (closed) return;
                try {
                    sleep.wait(Math.max(1, wait.toMillis()));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Does what is due; the time of the next thing due. */
    Instant round() {
        Instant wake = Instant.MAX;
        for (Domain d : domains.values()) {
            if (closed) return wake;
            Instant now = clock.instant();
            if (!d.next.isAfter(now)) attempt(d);
            now = clock.instant();
            if (!d.fromCa && d.served.notAfter().minus(STAND_IN_MARGIN).isBefore(now) || d.fromCa && !d.served.notAfter().isAfter(now)) {
                standIn(d, now); // the stand-in nears its end, or the CA's certificate expired with the CA unreachable
                changed.run();
                log.warn("HTTPS serves a new self-signed certificate for {}: {} has not issued one yet", d.name, directoryName);
            }
            if (d.next.isBefore(wake)) wake = d.next;
            if (!d.fromCa && d.served.notAfter().minus(STAND_IN_MARGIN).isBefore(wake)) wake = d.served.notAfter().minus(STAND_IN_MARGIN);
        }
        return wake;
    }

    private void attempt(Domain d) {
        attempts.incrementAndGet();
        log.info("Asking {} for a certificate for {}{}", directoryName, d.name, d.fromCa ? " (renewal)" : "");
        Instant now;
        try {
            TlsCertificate fresh = issuer.obtain(d.name);
            store.certificate(d.name, fresh, directory);
            d.served = fresh;
            d.fromCa = true;
            changed.run();
            now = clock.instant();
            Instant renewal = renewalTime(fresh);
            if (renewal.isBefore(now.plus(MIN_SLEEP.multipliedBy(5)))) {
                // due at once: a CA or clock gone wrong; asking again right away would hammer the CA
                d.failures++;
                d.next = backoff.next(now, d.failures, Optional.empty());
                log.warn("New certificate for {} is served, but it is already due for renewal ({}): next try at {}; check the clock",
                        d.name, fresh, d.next.truncatedTo(ChronoUnit.SECONDS));
                return;
            }
            d.failures = 0;
            d.next = renewal;
            log.info("New certificate for {} from {}: {}; renewal at {}", d.name, directoryName, fresh, renewal.truncatedTo(ChronoUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } catch (Exception | LinkageError e) {
            if (closed) return;
            now = clock.instant();
            d.failures++;
            Optional<Instant> retryAfter = e instanceof AcmeRateLimitedException r ? r.getRetryAfter() : Optional.empty();
            d.next = backoff.next(now, d.failures, retryAfter);
            log.warn("Cannot get a certificate for {} from {}: {}; next try at {} (in {}); meanwhile HTTPS serves {}", d.name, directoryName,
                    describe(e), d.next.truncatedTo(ChronoUnit.SECONDS), human(Duration.between(now, d.next)),
                    d.fromCa ? "the current certificate (valid until " + d.served.notAfter() + ")" : "the self-signed stand-in");
        }
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getClass().getSimpleName() + ": " + c.getMessage();
            if (!text.toString().contains(m)) text.append(" (").append(m).append(')');
            if (c.getCause() == c) break;
        }
        return text.toString();
    }

    private static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) return s + " s";
        if (s < 7200) return (s / 60) + " min";
        return (s / 3600) + " h";
    }

    /** The domains, in the order of {@code acme.domains}. */
    Set<String> domains() {
        return domains.keySet();
    }

    /** The certificate now served for {@code host} ({@code ""}: the first domain's, for clients without SNI). */
    Optional<TlsCertificate> certificate(String host) {
        Domain d = host.isEmpty() ? domains.values().iterator().next() : domains.get(host);
        return d == null ? Optional.empty() : Optional.ofNullable(d.served);
    }

    /** How many times the CA was asked (for tests). */
    int attempts() {
        return attempts.get();
    }

    /** Whether {@code domain} is served a certificate from the CA (not a stand-in). */
    boolean hasCertificateFromCa(String domain) {
        Domain d = domains.get(domain);
        return d != null && d.fromCa;
    }

    /** Stops the renewal thread (a CA exchange in flight is cut off). */
    @Override
    public void close() {
        closed = true;
        synchronized (sleep) {
            sleep.notifyAll();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
