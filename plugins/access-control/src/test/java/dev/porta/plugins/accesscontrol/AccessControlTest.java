package dev.porta.plugins.accesscontrol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.plugins.requestlog.RequestLog;
import dev.porta.plugins.staticindex.StaticIndex;
import dev.porta.server.testing.RawClient;
import dev.porta.server.testing.TestCa;
import dev.porta.testkit.PortaTestServer;
import dev.porta.spi.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** access-control end to end, with real sockets, the real content plugin, and real htpasswd files. */
class AccessControlTest {

    @TempDir
    Path dir;
    Path root;
    Path bcrypt;
    Path sha;
    Path apr1;
    PortaTestServer server;
    AccessControl access;

    @BeforeEach
    void site() throws IOException {
        root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "public");
        Files.createDirectories(root.resolve("private"));
        Files.writeString(root.resolve("private/index.html"), "PRIVATE CONTENT");
        bcrypt = fixture("bcrypt.htpasswd"); // made by Apache's htpasswd -B (apache2-utils): alice, bob
        sha = fixture("sha.htpasswd");       // htpasswd -s: carol
        apr1 = fixture("apr1.htpasswd");     // htpasswd -m: dave
    }

    private Path fixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + name)) {
            Path target = dir.resolve(name);
            Files.copy(in, target);
            return target;
        }
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void start(String config) {
        access = new AccessControl();
        server = PortaTestServer.builder(root).config(config)
                .handler("access-control", access)
                .handler("static-index", new StaticIndex())
                .observer("request-log", new RequestLog())
                .start();
    }

    private String area(Path users) {
        return "access-control.area.private.prefixes = /private/\n"
                + "access-control.area.private.realm = Private area\n"
                + "access-control.area.private.users = " + users + "\n"
                + "request-log.file = " + dir.resolve("access.log") + "\n";
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String get(String path, String authorization) throws IOException {
        return get(path, authorization, null);
    }

    private String get(String path, String authorization, String from) throws IOException {
        try (RawClient c = new RawClient(server.port(), from)) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + "Connection: close\r\n\r\n");
            return c.readResponse();
        }
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    @Test
    void basicAuthenticationWithEveryAcceptedHashFormat() throws Exception {
        Path all = dir.resolve("all.htpasswd");
        Files.writeString(all, Files.readString(bcrypt) + Files.readString(sha) + Files.readString(apr1));
        start(area(all));
        String challenge = get("/private/", null);
        assertEquals(401, status(challenge));
        assertTrue(challenge.contains("\r\nWWW-Authenticate: Basic realm=\"Private area\", charset=\"UTF-8\"\r\n"), challenge);
        assertFalse(challenge.contains("PRIVATE CONTENT"));
        assertEquals(401, status(get("/private/", basic("alice", "wrong"))));
        assertEquals(401, status(get("/private/", basic("nobody", "alice-secret"))));
        assertEquals(401, status(get("/private/", "Basic !!!not-base64")));
        assertEquals(401, status(get("/private/", "Bearer abc")));
        String ok = get("/private/", basic("alice", "alice-secret"));
        assertEquals(200, status(ok));
        assertTrue(ok.endsWith("PRIVATE CONTENT"));
        assertEquals(200, status(get("/private/", basic("bob", "bob pässword"))), "UTF-8 passwords (RFC 7617 charset)");
        assertEquals(200, status(get("/private/", basic("carol", "carol-secret"))), "{SHA}");
        assertEquals(200, status(get("/private/", basic("dave", "dave-secret"))), "$apr1$");
        assertEquals(401, status(get("/private/", basic("dave", "dave-secreT"))));
        assertEquals(200, status(get("/index.html", null)), "outside the area nothing is asked");
        String log = serverLog();
        assertTrue(log.contains("carol") && log.contains("dave") && log.contains("weak hash"), "weak formats are warned about at load");
    }

    @Test
    void aBcryptPasswordOverSeventyTwoBytesVerifiesAsHtpasswdDoes() throws Exception {
        Path long80 = fixture("long.htpasswd"); // htpasswd -B: frank, with an 80-byte password
        start(area(long80) + "access-control.max-failures = 3\naccess-control.login-cache = 0s\n");
        String eighty = "0123456789".repeat(8);
        assertEquals(200, status(get("/private/", basic("frank", eighty))));
        assertEquals(200, status(get("/private/", basic("frank", eighty.substring(0, 72) + "anything"))),
                "bcrypt uses the first 72 bytes, as htpasswd -v does");
        assertEquals(200, status(get("/private/", basic("frank", eighty))), "no failure was counted toward the lockout");
        assertEquals(401, status(get("/private/", basic("frank", eighty.substring(0, 71)))));
        assertEquals(401, status(get("/private/", basic("frank", eighty.substring(0, 71) + "X" + eighty.substring(72)))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/private/", "/private", "//private/", "/./private/", "/%70rivate/", "/PRIVATE/", "/Private/index.html",
        "/private/../private/index.html", "/public/../private/", "/private//index.html", "/private/%69ndex.html"})
    void spellingsThatDodgeThePrefixStillNeedTheLogin(String path) throws Exception {
        start(area(bcrypt));
        String r = get(path, null);
        assertEquals(401, status(r), path + ": " + r);
        assertFalse(r.contains("PRIVATE CONTENT"));
    }

    @Test
    void ipRulesFirstMatchWins() throws Exception {
        start("access-control.area.lan.prefixes = /private/\naccess-control.area.lan.ip = allow 127.0.0.2, deny 127.0.0.0/8, allow all\n");
        assertEquals(403, status(get("/private/", null, "127.0.0.1")));
        assertEquals(200, status(get("/private/", null, "127.0.0.2")));
        assertEquals(403, status(get("/private/", null, "127.0.0.3")));
        assertEquals(200, status(get("/index.html", null, "127.0.0.1")));
    }

    @Test
    void ipv6Rules() throws Exception {
        access = new AccessControl();
        server = PortaTestServer.builder(root).host("::")
                .config("access-control.area.v6.prefixes = /private/\naccess-control.area.v6.ip = allow ::1/128, deny all\n")
                .handler("access-control", access).handler("static-index", new StaticIndex())
                .observer("request-log", new RequestLog()).start();
        try (RawClient v6 = new RawClient("::1", server.port(), "::1")) {
            v6.send("GET /private/ HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(200, status(v6.readResponse()));
        }
        try (RawClient v4 = new RawClient("127.0.0.1", server.port(), "127.0.0.1")) {
            v4.send("GET /private/ HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(403, status(v4.readResponse()));
        }
    }

    @Test
    void satisfyAllNeedsBoth() throws Exception {
        start(area(bcrypt) + "access-control.area.private.ip = allow 127.0.0.2, deny all\naccess-control.area.private.satisfy = all\n");
        String good = basic("alice", "alice-secret");
        assertEquals(401, status(get("/private/", null, "127.0.0.2")));
        assertEquals(200, status(get("/private/", good, "127.0.0.2")));
        assertEquals(403, status(get("/private/", good, "127.0.0.1")));
        assertEquals(403, status(get("/private/", null, "127.0.0.1")));
    }

    @Test
    void satisfyAnyNeedsEither() throws Exception {
        start(area(bcrypt) + "access-control.area.private.ip = allow 127.0.0.2, deny all\naccess-control.area.private.satisfy = any\n");
        String good = basic("alice", "alice-secret");
        assertEquals(200, status(get("/private/", null, "127.0.0.2")));
        assertEquals(401, status(get("/private/", null, "127.0.0.1")));
        assertEquals(401, status(get("/private/", basic("alice", "nope"), "127.0.0.1")));
        assertEquals(200, status(get("/private/", good, "127.0.0.1")));
    }

    @Test
    void tooManyFailuresLockAnAddressOutUntilTheWindowPasses() throws Exception {
        start(area(bcrypt) + "access-control.max-failures = 3\naccess-control.failure-window = 1500ms\n");
        assertEquals(401, status(get("/private/", basic("alice", "guess1"), "127.0.0.5")));
        assertEquals(401, status(get("/private/", basic("alice", "guess2"), "127.0.0.5")));
        String locked = get("/private/", basic("alice", "guess3"), "127.0.0.5");
        assertEquals(429, status(locked));
        assertTrue(locked.contains("\r\nRetry-After: "), locked);
        assertEquals(429, status(get("/private/", basic("alice", "alice-secret"), "127.0.0.5")), "locked even with the right password");
        assertEquals(200, status(get("/private/", basic("alice", "alice-secret"), "127.0.0.6")), "other addresses are not locked");
        Thread.sleep(1700);
        assertEquals(200, status(get("/private/", basic("alice", "alice-secret"), "127.0.0.5")), "the window has passed");
        assertTrue(serverLog().contains("failed logins from 127.0.0.5 to area private"), "the lock is logged");
    }

    @Test
    void thirtyRequestsWithTheRightPasswordCostOneHash() throws Exception {
        start(area(bcrypt));
        String good = basic("alice", "alice-secret");
        for (int i = 0; i < 30; i++) assertEquals(200, status(get("/private/", good)));
        assertEquals(1, access.hashChecks());
        assertEquals(401, status(get("/private/", basic("nobody", "x"))));
        assertEquals(2, access.hashChecks(), "an unknown user costs a hash check too");
    }

    @Test
    void theUsersFileIsReadAgainWhenItChanges() throws Exception {
        start(area(bcrypt) + "access-control.max-failures = 0\n"); // the polling below would lock itself out

        String good = basic("alice", "alice-secret");
        assertEquals(200, status(get("/private/", good)));
        String erin = "erin:" + hashOf("erin-secret") + "\n";
        Files.writeString(bcrypt, Files.readString(bcrypt) + erin);
        assertTrue(eventually(() -> status(get("/private/", basic("erin", "erin-secret"))) == 200), "a new user can log in");

        Files.writeString(bcrypt, "erin:" + hashOf("erin-secret") + "\n"); // alice removed
        assertTrue(eventually(() -> status(get("/private/", good)) == 401), "a removed user is out, even with a remembered login");

        Files.writeString(bcrypt, "erin:plain-text-password\nalice:" + hashOf("alice-secret") + "\n");
        Thread.sleep(1500);
        assertEquals(200, status(get("/private/", basic("erin", "erin-secret"))), "a broken file keeps the old users in force");
        assertEquals(401, status(get("/private/", good)));
        assertTrue(eventually(() -> serverLog().contains("changed but is not valid")));
        assertFalse(serverLog().contains("plain-text-password"), "the log never shows a line of the users file");
    }

    private static String hashOf(String password) {
        return new String(at.favre.lib.crypto.bcrypt.BCrypt.with(at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2Y)
                .hash(4, password.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    }

    @Test
    void nothingSecretReachesAnyLog() throws Exception {
        start(area(bcrypt));
        String secretHeader = basic("alice", "alice-secret");
        get("/private/", secretHeader);
        get("/private/", basic("alice", "Wrong-Password-123"));
        get("/private/", basic("mallory", "Mallory-Password-456"));
        server.close();
        server = null;
        String access = Files.readString(dir.resolve("access.log"));
        assertTrue(access.contains(" alice "), "the access log names the user: " + access);
        for (String log : new String[]{access, serverLog()}) {
            for (String secret : new String[]{"alice-secret", "Wrong-Password-123", "Mallory-Password-456",
                secretHeader.substring(6), "Authorization", "$2y$"}) {
                assertFalse(log.contains(secret), "a log contains " + secret);
            }
        }
    }

    @Test
    void theUsersFileIsNeverServed() throws Exception {
        Path inside = root.resolve("users.htpasswd");
        Files.copy(bcrypt, inside);
        start(area(inside));
        String r = get("/users.htpasswd", null);
        assertEquals(404, status(r));
        assertFalse(r.contains("$2y$"));
    }

    @Test
    void warnsOnceWhenPasswordsWouldCrossANetworkInClear() throws Exception {
        access = new AccessControl();
        server = PortaTestServer.builder(root).host("0.0.0.0").config(area(bcrypt))
                .handler("access-control", access).handler("static-index", new StaticIndex())
                .observer("request-log", new RequestLog()).start();
        int before = clearTextWarnings();
        assertEquals(401, status(get("/private/", null)));
        assertEquals(401, status(get("/private/", null)));
        assertEquals(before + 1, clearTextWarnings(), serverLog());
    }

    @Test
    void staysSilentWhenTheAreaIsServedOnlyOverHttps() throws Exception {
        TestCa ca = TestCa.create();
        TestCa.writePem(ca.issue("EC", "localhost"), dir.resolve("tls.pem"), dir.resolve("tls.key"), TestCa.KeyFormat.PKCS8);
        access = new AccessControl();
        server = PortaTestServer.builder(root).host("0.0.0.0").config(area(bcrypt) + "server.https.port = 0\n"
                        + "server.https.cert.site = " + dir.resolve("tls.pem") + ", " + dir.resolve("tls.key") + "\n"
                        + "server.http.redirect-to-https = on\n")
                .handler("access-control", access).handler("static-index", new StaticIndex())
                .observer("request-log", new RequestLog()).start();
        int before = clearTextWarnings();
        assertEquals(308, status(get("/private/", null)), "plain HTTP never reaches the area");
        try (RawClient c = new RawClient(ca.connect(server.httpsPort(), "localhost"))) {
            assertEquals(401, status(c.send("GET /private/ HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse()));
            assertEquals(200, status(c.send("GET /private/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + basic("alice", "alice-secret") + "\r\n\r\n").readResponse()));
        }
        assertEquals(before, clearTextWarnings(), serverLog());
    }

    private static int clearTextWarnings() throws IOException {
        return serverLog().split("sends passwords in clear over plain HTTP", -1).length - 1;
    }

    @Test
    void badConfigNamesFileAndLine() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.htpasswd"), "# users\nalice:$2y$05$oIw8z5mMwm.OJSwNmqb3v.xpY55tSZXkcMd49Rkm/TB3/m3FnAy46\nbob:secret123\n");
        assertConfigError("access-control.area.a.prefixes = /a/\naccess-control.area.a.users = " + plain + "\n",
                "test.properties:2: access-control.area.a.users: " + plain + ":3: user 'bob': not a password hash Porta accepts");
        assertConfigError("access-control.area.a.prefixes = /a/\naccess-control.area.a.users = " + dir.resolve("missing") + "\n",
                "test.properties:2: access-control.area.a.users: cannot read");
        assertConfigError("access-control.area.a.prefixes = /a/\naccess-control.area.a.ip = allow 10.0.0.0/40\n",
                "test.properties:2: access-control.area.a.ip: prefix length out of range");
        assertConfigError("access-control.area.a.prefixes = /a/\naccess-control.area.a.ip = permit 10.0.0.1\n",
                "test.properties:2: access-control.area.a.ip: 'permit 10.0.0.1' is not");
        assertConfigError("access-control.area.a.users = " + bcrypt + "\n",
                "test.properties: access-control.area.a.prefixes: area 'a' needs prefixes");
        assertConfigError("access-control.area.a.prefixes = /a/\n",
                "test.properties:1: access-control.area.a.prefixes: area 'a' has neither users nor ip rules");
        assertConfigError("access-control.area.a.prefixes = /a/\naccess-control.area.a.ip = deny all\naccess-control.area.a.pasword = x\n",
                "test.properties:3: unknown key access-control.area.a.pasword");
        assertConfigError("access-control.area.a.prefixes = /a/\naccess-control.area.a.ip = deny all\naccess-control.area.a.satisfy = some\n",
                "test.properties:3: access-control.area.a.satisfy: must be 'all' or 'any'");
        assertConfigError("access-control.prefixes = /a/\n", "test.properties:1: unknown key access-control.prefixes");
    }

    @Test
    void aPrefixThatNoRequestPathCanMatchStopsStartUp() {
        for (String prefix : new String[] {"/private/*", "//private/", "/./private/", "/private/../x/", "/x%2Fy/", "/a\\b/"}) {
            assertConfigError("access-control.area.a.prefixes = " + prefix + "\naccess-control.area.a.ip = deny all\n",
                    "test.properties:1: access-control.area.a.prefixes: '" + prefix + "' ");
        }
        server = null;
    }

    @Test
    void anIpRuleListMustEndWithAllowAllOrDenyAll() {
        assertConfigError("access-control.area.a.prefixes = /a/\naccess-control.area.a.ip = allow 10.0.0.0/8\n",
                "test.properties:2: access-control.area.a.ip: the last rule must be 'allow all' or 'deny all'");
        String hint = assertThrows(ConfigException.class, () -> start("access-control.area.a.prefixes = /a/\n"
                + "access-control.area.a.ip = allow 10.0.0.0/8, allow ::1\n")).getMessage();
        assertTrue(hint.contains("protects nothing") && hint.contains("'allow 10.0.0.0/8, allow ::1, deny all'"), hint);
        hint = assertThrows(ConfigException.class, () -> start("access-control.area.a.prefixes = /a/\n"
                + "access-control.area.a.ip = deny 192.0.2.0/24\n")).getMessage();
        assertTrue(hint.contains("'deny 192.0.2.0/24, allow all'"), hint);
        assertConfigError("access-control.area.a.prefixes = /a/\naccess-control.area.a.ip = allow 10.0.0.0/8, deny all, allow all\n",
                "test.properties:2: access-control.area.a.ip: 'allow all' comes after 'deny all' and can never match");
        server = null;
    }

    @Test
    void checkReportsABadSettingWithFileAndLineAndCreatesNothing() throws Exception {
        Path data = dir.resolve("data");
        String config = "server.data-dir = " + data + "\nserver.log-dir = " + dir.resolve("logs") + "\n"
                + "access-control.area.private.prefixes = /private/\n"
                + "access-control.area.private.users = " + bcrypt + "\n"
                + "access-control.area.private.ip = allow 10.0.0.0/8\n"
                + "request-log.file = " + dir.resolve("access.log") + "\n";
        List<String> problems = PortaTestServer.builder(root).config(config).handler("access-control", new AccessControl())
                .observer("request-log", new RequestLog()).check();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("test.properties:5: access-control.area.private.ip: "), problems.get(0));
        assertEquals(List.of("apr1.htpasswd", "bcrypt.htpasswd", "sha.htpasswd", "www"), listing(dir),
                "no data or log folder, no access log");

        String missingUsers = "access-control.area.private.prefixes = /private/\n"
                + "access-control.area.private.users = " + dir.resolve("absent.htpasswd") + "\n";
        assertEquals(List.of("test.properties:2: access-control.area.private.users: cannot read " + dir.resolve("absent.htpasswd")
                + " (NoSuchFileException)"), PortaTestServer.builder(root).config(missingUsers).handler("access-control", new AccessControl()).check());
    }

    private static List<String> listing(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertConfigError(String config, String expectedStart) {
        String message = assertThrows(ConfigException.class, () -> start(config)).getMessage();
        assertTrue(message.startsWith(expectedStart), "expected " + expectedStart + "\n     got " + message);
        assertFalse(message.contains("secret123"), "the error never shows a password");
        server = null;
    }

    private static String serverLog() throws IOException {
        Path log = Path.of("target/server-log-under-test.txt");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    private static boolean eventually(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (check.holds()) return true;
            Thread.sleep(100);
        }
        return check.holds();
    }
}
