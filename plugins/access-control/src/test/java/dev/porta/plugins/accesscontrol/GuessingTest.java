package dev.porta.plugins.accesscontrol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.porta.plugins.staticindex.StaticIndex;
import dev.porta.server.testing.RawClient;
import dev.porta.testkit.PortaTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password guessing end to end, many at once: the lockout and the order of password checks under
 * concurrency. Checks are held by {@link HeldChecks}, so nothing here depends on how fast anything runs.
 */
class GuessingTest {

    @TempDir
    Path dir;
    Path root;
    Path users;
    PortaTestServer server;
    AccessControl access;
    HeldChecks held = new HeldChecks();
    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    AtomicInteger answered = new AtomicInteger();

    @BeforeEach
    void site() throws IOException {
        root = Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(root.resolve("private"));
        Files.writeString(root.resolve("private/index.html"), "PRIVATE CONTENT");
        users = dir.resolve("bcrypt.htpasswd");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/bcrypt.htpasswd")) {
            Files.copy(in, users); // alice:alice-secret, bob
        }
    }

    @AfterEach
    void stop() {
        held.openAll();
        clients.shutdownNow();
        if (server != null) server.close();
    }

    private void start(String settings) {
        access = new AccessControl(held);
        server = PortaTestServer.builder(root)
                .config("access-control.area.private.prefixes = /private/\naccess-control.area.private.users = " + users + "\n" + settings)
                .handler("access-control", access)
                .handler("static-index", new StaticIndex())
                .start();
    }

    @Test
    void parallelGuessesFromOneAddressGetNoMoreChecksThanMaxFailures() throws Exception {
        start("access-control.max-failures = 5\naccess-control.hash-concurrency = 60\n");
        List<Future<String>> guesses = new ArrayList<>();
        for (int i = 0; i < 55; i++) guesses.add(send("alice", "guess-" + i, "127.0.0.5"));
        awaitUntil(() -> answered.get() >= 50,
                () -> "while the first checks were held, only " + answered + " of 55 guesses were answered; "
                        + held.begun().size() + " were being checked");
        assertEquals(429, status(get("alice", "alice-secret", "127.0.0.5")), "the right password, 56th, is not even checked");
        held.openAll();
        for (Future<String> g : guesses) {
            int status = status(g.get(20, TimeUnit.SECONDS));
            assertTrue(status == 401 || status == 429, "a guess got " + status);
        }
        assertEquals(5, access.hashChecks(), "max-failures checks, no more");
        assertEquals(429, status(get("alice", "alice-secret", "127.0.0.5")), "locked out");
    }

    @Test
    void aLoginClearsNoFailuresOfItsAddress() throws Exception {
        held.openAll();
        start("access-control.max-failures = 3\n");
        assertEquals(401, status(get("alice", "guess-1", "127.0.0.7")));
        assertEquals(401, status(get("bob", "guess-2", "127.0.0.7")));
        assertEquals(200, status(get("alice", "alice-secret", "127.0.0.7")));
        assertEquals(429, status(get("bob", "guess-3", "127.0.0.7")),
                "one valid account must not let its owner guess other users' passwords without limit");
    }

    @Test
    void guessesFromTwoAddressesDoNotHoldUpALoginFromAThird() throws Exception {
        start("access-control.max-failures = 0\naccess-control.hash-concurrency = 2\n"); // no lockout: only the queueing holds guesses back
        List<Future<String>> guesses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            guesses.add(send("alice", "guess-a" + i, "127.0.0.11"));
            guesses.add(send("alice", "guess-b" + i, "127.0.0.12"));
        }
        awaitUntil(() -> held.begun().size() + access.checksWaiting() + answered.get() == 60,
                () -> "the 60 guesses did not all reach the server");
        Future<String> login = send("alice", "alice-secret", "127.0.0.13");
        awaitUntil(() -> held.begun().size() + access.checksWaiting() + answered.get() == 61,
                () -> "the login from a third address did not reach the server");
        held.letOneRun();
        awaitUntil(() -> held.begun().size() >= 3, () -> "no check began after one finished");
        assertEquals("alice-secret", held.begun().get(2), "the login from the third address is checked next: " + held.begun());
        held.openAll();
        assertEquals(200, status(login.get(20, TimeUnit.SECONDS)));
        for (Future<String> g : guesses) {
            int status = status(g.get(20, TimeUnit.SECONDS));
            assertTrue(status == 401 || status == 429, "a guess got " + status);
        }
    }

    @Test
    void failuresCountPerIpv6SlashSixtyFour() throws Exception {
        held.openAll();
        start("access-control.max-failures = 3\nserver.trusted-proxies = 127.0.0.1\n"); // addresses come in X-Forwarded-For
        assertEquals(401, status(get("alice", "guess-1", "127.0.0.1", "2001:db8:0:1::1")));
        assertEquals(401, status(get("alice", "guess-2", "127.0.0.1", "2001:db8:0:1::2")));
        assertEquals(429, status(get("alice", "guess-3", "127.0.0.1", "2001:db8:0:1:ffff:ffff:ffff:ffff")),
                "rotating addresses inside one /64 does not reset the count");
        assertEquals(429, status(get("alice", "alice-secret", "127.0.0.1", "2001:db8:0:1:1234::5")), "the whole /64 is locked out");
        assertEquals(200, status(get("alice", "alice-secret", "127.0.0.1", "2001:db8:0:2::1")), "the next /64 is another subscriber");
        assertEquals(401, status(get("alice", "guess-4", "127.0.0.1", "192.0.2.1")));
        assertEquals(401, status(get("alice", "guess-5", "127.0.0.1", "192.0.2.2")));
        assertEquals(401, status(get("alice", "guess-6", "127.0.0.1", "192.0.2.3")), "IPv4 counts per address");
    }

    /** Sends a login in the background; the response, counted in {@link #answered} when it comes. */
    private Future<String> send(String user, String password, String from) {
        return clients.submit(() -> {
            String response = get(user, password, from);
            answered.incrementAndGet();
            return response;
        });
    }

    private String get(String user, String password, String from) throws IOException {
        return get(user, password, from, null);
    }

    /** A login from {@code from}, which forwards it for {@code forwardedFor} when that is not null. */
    private String get(String user, String password, String from, String forwardedFor) throws IOException {
        String authorization = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        try (RawClient c = new RawClient(server.port(), from)) {
            c.send("GET /private/ HTTP/1.1\r\nHost: a\r\nAuthorization: Basic " + authorization + "\r\n"
                    + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") + "Connection: close\r\n\r\n");
            return c.readResponse();
        }
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    /**
     * Waits for a state the server settles in while checks are held; fails if it has not within 8 s,
     * before a held client's read times out (10 s).
     */
    private static void awaitUntil(BooleanSupplier state, Supplier<String> otherwise) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (!state.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail(otherwise.get());
            Thread.sleep(10);
        }
    }
}
