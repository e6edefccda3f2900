package dev.porta.plugins.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.spi.TlsCertificate;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tinylog.Logger;

/** Renewal times, backoff, the store: without a CA (the Pebble test has the real one). */
@Timeout(30)
class RenewalsTest {

    @TempDir
    Path dir;

    static final URI DIRECTORY = URI.create("https://ca.test/dir");

    private static AcmeSettings settings(String... domains) {
        return new AcmeSettings(List.of(domains), Optional.empty(), DIRECTORY, List.of());
    }

    @Test
    void backoffDoublesUpToItsCeilingAndHonoursRetryAfter() {
        assertEquals(Duration.ofMinutes(1), Backoff.DEFAULT.after(1));
        assertEquals(Duration.ofMinutes(2), Backoff.DEFAULT.after(2));
        assertEquals(Duration.ofMinutes(64), Backoff.DEFAULT.after(7));
        assertEquals(Duration.ofMinutes(256), Backoff.DEFAULT.after(9));
        assertEquals(Duration.ofHours(6), Backoff.DEFAULT.after(10));
        assertEquals(Duration.ofHours(6), Backoff.DEFAULT.after(1000));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(now.plusSeconds(60), Backoff.DEFAULT.next(now, 1, Optional.of(now.plusSeconds(10))));
        assertEquals(now.plusSeconds(3600), Backoff.DEFAULT.next(now, 1, Optional.of(now.plusSeconds(3600))), "a rate limit's Retry-After");
    }

    @Test
    void renewalComesAtTwoThirdsOfTheLife() {
        TlsCertificate c = StandIn.make("a.test", Instant.parse("2026-01-01T00:01:00Z")); // valid 00:00 to +1 day 00:01
        Instant from = c.certificate().getNotBefore().toInstant();
        assertEquals(from.plus(Duration.between(from, c.notAfter()).multipliedBy(2).dividedBy(3)), Renewals.renewalTime(c));
    }

    @Test
    void aFailingCaIsAskedAgainOnlyAfterTheBackoffNeverInABusyLoop() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        Renewals r = new Renewals(settings("a.test", "b.test"), new AcmeStore(dir), domain -> {
            throw new IOException("connection refused");
        }, changes::incrementAndGet, Logger.tag("acme"), new Backoff(Duration.ofMillis(100), Duration.ofMillis(200)), Clock.systemUTC());
        try {
            r.start();
            assertTrue(StandIn.isStandIn(r.certificate("a.test").orElseThrow()));
            assertTrue(StandIn.isStandIn(r.certificate("").orElseThrow()), "no SNI: the first domain's");
            assertTrue(r.certificate("c.test").isEmpty());
            Thread.sleep(2500);
        } finally {
            r.close();
        }
        // a 100-200 ms backoff but at least a second between rounds: about 3 rounds of 2 domains, never thousands
        assertTrue(r.attempts() >= 2 && r.attempts() <= 8, "attempts: " + r.attempts());
        assertTrue(changes.get() >= 1);
    }

    @Test
    void aCertificateDueAtOnceIsNotAskedForAgainAtOnce() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        Renewals r = new Renewals(settings("a.test"), new AcmeStore(dir), domain -> {
            issued.incrementAndGet();
            return StandIn.make(domain, Instant.now().minus(Duration.ofHours(23).plusMinutes(59))); // ends in a minute: due at once
        }, () -> { }, Logger.tag("acme"), new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(5)), Clock.systemUTC());
        try {
            r.start();
            Thread.sleep(2000);
        } finally {
            r.close();
        }
        assertEquals(1, issued.get(), "the next try waits for the backoff");
    }

    @Test
    void aStoredCertificateIsReusedAfterARestartWithoutAskingTheCa() throws Exception {
        AcmeStore store = new AcmeStore(dir.resolve("acme"));
        TlsCertificate stored = StandIn.make("a.test", Instant.now());
        store.certificate("a.test", stored, DIRECTORY);
        KeyPair account = store.accountKey();
        AtomicInteger asked = new AtomicInteger();
        Renewals r = new Renewals(settings("a.test"), new AcmeStore(dir.resolve("acme")), domain -> {
            asked.incrementAndGet();
            throw new IOException("not reachable");
        }, () -> { }, Logger.tag("acme"), Backoff.DEFAULT, Clock.systemUTC());
        try {
            r.start();
            Thread.sleep(300);
            TlsCertificate served = r.certificate("a.test").orElseThrow();
            assertEquals(stored.certificate(), served.certificate());
            assertEquals(stored.key(), served.key());
            assertTrue(r.hasCertificateFromCa("a.test"));
        } finally {
            r.close();
        }
        assertEquals(0, asked.get());
        assertEquals(account.getPublic(), new AcmeStore(dir.resolve("acme")).accountKey().getPublic(), "the account key is kept");

        // from another directory: still served, but a new one is asked for at once
        Renewals other = new Renewals(new AcmeSettings(List.of("a.test"), Optional.empty(), URI.create("https://other.test/dir"), List.of()),
                new AcmeStore(dir.resolve("acme")), domain -> {
                    asked.incrementAndGet();
                    throw new IOException("not reachable");
                }, () -> { }, Logger.tag("acme"), Backoff.DEFAULT, Clock.systemUTC());
        try {
            other.start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (asked.get() == 0 && System.nanoTime() < deadline) Thread.sleep(20);
            assertSame(stored.certificate().getClass(), other.certificate("a.test").orElseThrow().certificate().getClass());
            assertEquals(stored.certificate(), other.certificate("a.test").orElseThrow().certificate());
        } finally {
            other.close();
        }
        assertEquals(1, asked.get());
    }

    @Test
    void theStoreKeepsItsFolders700AndFiles600() throws Exception {
        AcmeStore store = new AcmeStore(dir.resolve("acme"));
        store.accountKey();
        store.accountUrl(DIRECTORY, URI.create("https://ca.test/acct/1").toURL());
        store.certificate("a.test", StandIn.make("a.test", Instant.now()), DIRECTORY);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("acme"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("acme/certificates"))));
        try (Stream<Path> files = Files.walk(dir.resolve("acme"))) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertEquals(5, all.size(), all.toString());
            for (Path f : all) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
                assertFalse(f.getFileName().toString().endsWith(".tmp"));
            }
        }
        assertEquals("https://ca.test/acct/1", store.accountUrl(DIRECTORY).orElseThrow().toString());
        assertTrue(store.accountUrl(URI.create("https://other.test/dir")).isEmpty());
    }
}
