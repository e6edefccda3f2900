package dev.porta.plugins.staticindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.testkit.PortaTestServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A path swapped again and again between a file inside the root and a link to a file outside it
 * ({@code symlinks = inside}) never sends a byte of the outside file: not from the cache, not from disk
 * (zero-copy), not as a range, not through a swapped folder. The lookup and the open are one step, so no
 * swap between them can be followed.
 */
class SymlinkRaceTest {

    private static final long RACE_MILLIS = 2_000;

    @TempDir
    Path dir;
    PortaTestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void aSmallCachedFileSwappedForALinkNeverLeaks() throws Exception {
        race("", "inside\n", false);
    }

    @Test
    void aSmallFileLookedUpOnEveryRequestNeverLeaks() throws Exception {
        race("static-index.cache.revalidate = 0\n", "inside\n", false);
    }

    @Test
    void aLargeFileSentFromDiskNeverLeaks() throws Exception {
        race("static-index.cache.max-file-bytes = 1024\n", "inside\n".repeat(2_000), false);
    }

    @Test
    void aFolderSwappedForALinkNeverLeaks() throws Exception {
        race("", "inside\n", true);
    }

    /**
     * Swaps {@code www/r.txt} (or the folder {@code www/rd}) for a link to the outside while four clients
     * request it, with and without a range, for {@link #RACE_MILLIS}.
     */
    private void race(String config, String inside, boolean folder) throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        // as long as the inside file: a length check cannot tell them apart, and every range reads a secret byte
        String secret = "SECRET\n".repeat(inside.length() / 7);
        Files.writeString(outside.resolve("r.txt"), secret);
        Path target = folder ? root.resolve("rd") : root.resolve("r.txt");
        Path linkTo = folder ? outside : outside.resolve("r.txt");
        String path = folder ? "/rd/r.txt" : "/r.txt";
        makeInside(target, inside, folder);
        server = PortaTestServer.builder(root).config(config).handler("static-index", new StaticIndex()).start();

        long end = System.nanoTime() + RACE_MILLIS * 1_000_000;
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger insideSeen = new AtomicInteger();
        AtomicReference<String> leak = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread swapper = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; System.nanoTime() < end; i++) {
                    Path tmp = target.resolveSibling("tmp" + i);
                    if (i % 2 == 0) {
                        Files.createSymbolicLink(tmp, linkTo);
                        if (folder) deleteTree(target);
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } else {
                        makeInside(tmp, inside, folder);
                        if (folder) Files.delete(target);
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    }
                    // each state held a moment (a file is slower to make than a link): lookups see both
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(300_000));
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int n = c;
            clients.add(Thread.ofPlatform().start(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                while (System.nanoTime() < end && leak.get() == null) {
                    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
                    if (n == 1) b.header("Range", "bytes=0-5");
                    if (n == 2) b.header("Range", "bytes=0-3,5-8");
                    try {
                        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
                        requests.incrementAndGet();
                        if (r.statusCode() != 200 && r.statusCode() != 206 && r.statusCode() != 404) {
                            leak.compareAndSet(null, "status " + r.statusCode() + " (a file gone between lookup and read is a 404)");
                        }
                        if (r.body().contains("SECR")) leak.compareAndSet(null, r.statusCode() + " " + r.body().substring(0, Math.min(40, r.body().length())));
                        if (r.body().contains("inside")) insideSeen.incrementAndGet();
                    } catch (IOException e) {
                        requests.incrementAndGet(); // a body cut short when the file changed: nothing leaked in it
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread t : clients) t.join();
        swapper.join();
        if (failure.get() != null) throw new AssertionError("the swapper failed", failure.get());
        assertEquals(null, leak.get(), "the file outside the root was sent, or an error, in " + requests + " requests");
        assertTrue(requests.get() > 100, "too few requests to race: " + requests);
        assertTrue(insideSeen.get() > 0, "the file inside the root was never served: the race was not run");
    }

    private static void makeInside(Path target, String inside, boolean folder) throws IOException {
        if (folder) {
            Files.createDirectory(target);
            Files.writeString(target.resolve("r.txt"), inside);
        } else {
            Files.writeString(target, inside);
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (Files.isSymbolicLink(folder) || !Files.exists(folder)) return;
        try (var files = Files.list(folder)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(folder);
    }
}
