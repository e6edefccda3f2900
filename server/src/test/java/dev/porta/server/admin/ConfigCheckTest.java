package dev.porta.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.server.config.CommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {

    @TempDir
    Path home;

    private record Outcome(int status, String out, String err) {
    }

    private Outcome check(PortOwner owner, String... flags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new ConfigCheck(owner).run(CommandLine.parse(flags), home, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> all = Files.walk(home)) {
            return all.sorted().toList();
        }
    }

    @Test
    void aGoodConfigIsOkAndTheCheckCreatesNothing() throws Exception {
        Files.createDirectories(home.resolve("www"));
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/porta.properties"), "server.host = 127.0.0.1\nserver.port = 0\n");
        List<Path> before = files();
        Outcome ok = check(PortOwner.system());
        assertEquals(0, ok.status(), ok.err());
        assertEquals("porta: " + home.resolve("conf/porta.properties") + ": configuration OK\n", ok.out());
        assertEquals(before, files(), "no logs/, data/ or anything else made");
    }

    @Test
    void everyProblemIsReportedWithFileAndLineAndStatus2() throws Exception {
        Files.createDirectories(home.resolve("www"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path config = Files.writeString(home.resolve("p.properties"), "server.host = 127.0.0.1\nserver.port = " + taken.getLocalPort()
                    + "\nserver.https.port = 0\nserver.https.cert.site = missing.pem, missing.key\nnobody.key = 1\n");
            Outcome bad = check(new PortOwner(home.resolve("no-proc")), "--config", config.toString(), "--plugins", home.resolve("none").toString());
            assertEquals(2, bad.status(), bad.out() + bad.err());
            List<String> lines = bad.err().lines().toList();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(config + ":4: ") && l.contains("missing.pem")), bad.err());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(config + ":5: nobody.key: no plugin 'nobody' is loaded")), bad.err());
            assertTrue(lines.contains(config + ":2: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use (by a process this user cannot see; if it is the running Porta, check as its user or root)"), bad.err());
            assertEquals("porta: " + config + ": 3 problems", lines.get(lines.size() - 1));
        }
    }

    @Test
    void everyBadLineOfTheFileIsReportedNotOnlyTheFirst() throws Exception {
        Files.createDirectories(home.resolve("www"));
        Path config = Files.writeString(home.resolve("p.properties"),
                "server.port = 0\nno equals sign\n# fine\nbad key! = 1\nserver.port = 1\nalso no equals\n");
        Outcome bad = check(PortOwner.system(), "--config", config.toString(), "--plugins", home.resolve("none").toString());
        assertEquals(2, bad.status(), bad.out() + bad.err());
        for (int line : List.of(2, 4, 5, 6)) assertTrue(bad.err().contains(config + ":" + line + ": "), line + " in " + bad.err());
        assertTrue(bad.err().endsWith(config + ": 4 problems\n"), bad.err());
    }

    @Test
    void everyBadCoreValueAndUnknownKeyIsReportedAndAnUnknownHostAtItsOwnLine() throws Exception {
        Files.createDirectories(home.resolve("www"));
        Path config = Files.writeString(home.resolve("p.properties"), """
                server.port = eighty
                server.host = no-such-host.invalid
                server.trusted-proxies = not-an-address
                timeouts.header = forever
                limits.nonsense = 1
                server.colour = blue
                errors.200 = ok.html
                server.plugins.watch = perhaps
                """);
        Outcome bad = check(PortOwner.system(), "--config", config.toString(), "--plugins", home.resolve("none").toString());
        assertEquals(2, bad.status(), bad.out() + bad.err());
        for (String expected : List.of(":1: server.port", ":3: server.trusted-proxies", ":4: timeouts.header", ":5: unknown key limits.nonsense",
                ":6: unknown key server.colour", ":7: errors.200", ":8: server.plugins.watch")) {
            assertTrue(bad.err().contains(config + expected), expected + " in " + bad.err());
        }
        assertTrue(bad.err().endsWith(config + ": 7 problems\n"), bad.err());

        Path hostOnly = Files.writeString(home.resolve("h.properties"), "server.port = 0\nserver.host = no-such-host.invalid\n");
        Outcome host = check(PortOwner.system(), "--config", hostOnly.toString(), "--plugins", home.resolve("none").toString());
        assertTrue(host.err().startsWith(hostOnly + ":2: server.host: unknown host no-such-host.invalid\n"), host.err());
    }

    @Test
    void checkRunsStartUpsRulesChainHttpsWithoutCertificatePortsAndDataFolder() throws Exception {
        Files.createDirectories(home.resolve("www"));
        Files.writeString(home.resolve("a-file"), "not a folder");
        Path config = Files.writeString(home.resolve("p.properties"), """
                server.host = 127.0.0.1
                server.port = 0
                server.https.port = 0
                server.chain = static-index
                server.data-dir = a-file/data
                """);
        Outcome bad = check(PortOwner.system(), "--config", config.toString(), "--plugins", home.resolve("none").toString());
        assertEquals(2, bad.status(), bad.out() + bad.err());
        assertTrue(bad.err().contains(config + ":3: server.https.port: HTTPS needs a certificate"), bad.err());
        assertTrue(bad.err().contains(config + ":4: server.chain: no loaded plugin 'static-index' has a handler"), bad.err());
        assertTrue(bad.err().contains(config + ":5: server.data-dir: cannot write " + home.resolve("a-file/data/porta.pid") + ": "
                + home.resolve("a-file") + " is not a folder"), bad.err());

        Path same = Files.writeString(home.resolve("same.properties"), "server.port = 18443\nserver.https.port = 18443\n");
        Outcome ports = check(PortOwner.system(), "--config", same.toString(), "--plugins", home.resolve("none").toString());
        assertTrue(ports.err().contains(same + ":2: server.https.port: 18443 is server.port too"), ports.err());
    }

    @Test
    void aPortHeldByAPortaCountsAsBindableAndOneHeldByAnotherProcessDoesNot() throws Exception {
        Files.createDirectories(home.resolve("www"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path config = Files.writeString(home.resolve("p.properties"), "server.host = 127.0.0.1\nserver.port = " + taken.getLocalPort() + "\n");
            // a /proc in which process 42, a Porta, listens on that port
            Path proc = home.resolve("proc");
            Files.createDirectories(proc.resolve("net"));
            Files.writeString(proc.resolve("net/tcp"), "  sl  local_address rem_address   st ...\n   0: 0100007F:"
                    + String.format("%04X", taken.getLocalPort()) + " 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0  0 777 1\n");
            Files.createDirectories(proc.resolve("42/fd"));
            Files.createSymbolicLink(proc.resolve("42/fd/5"), Path.of("socket:[777]"));
            Files.writeString(proc.resolve("42/cmdline"), "java\0-cp\0lib/*\0dev.porta.server.Porta\0");
            PortOwner porta = new PortOwner(proc);
            assertEquals(0, check(porta, "--config", config.toString()).status());
            Outcome stranger = check(PortOwner.system(), "--config", config.toString(), "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(2, stranger.status());
            assertTrue(stranger.err().startsWith("command line: --port: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use (by process "), stranger.err());
        }
    }

    @Test
    void anUnreadableConfigIsOneProblem() {
        Outcome missing = check(PortOwner.system(), "--config", home.resolve("nope.properties").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nope.properties"), missing.err());
    }
}
