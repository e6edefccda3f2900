package dev.porta.plugins.requestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.porta.plugins.staticindex.StaticIndex;
import dev.porta.server.testing.RawClient;
import dev.porta.testkit.PortaTestServer;
import dev.porta.spi.Attributes;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ConfigException;
import dev.porta.spi.Handler;
import dev.porta.spi.Response;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** request-log over real sockets: every field, escaping, formats, rotation, and a tool that reads it. */
class RequestLogTest {

    /** nginx combined: $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" */
    static final Pattern COMBINED = Pattern.compile(
            "^(\\S+) - (\\S+) \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})] \"((?:[^\"\\\\]|\\\\x[0-9A-F]{2})*)\" (\\d{3}) (\\d+) \"((?:[^\"\\\\]|\\\\x[0-9A-F]{2})*)\" \"((?:[^\"\\\\]|\\\\x[0-9A-F]{2})*)\"$");

    /** Answers 401 at /auth without credentials, and sets the user when it sees "Basic ok". */
    static final Handler FAKE_AUTH = (request, chain) -> {
        if (!request.path().startsWith("/auth")) return chain.next(request);
        if (request.header("Authorization").orElse("").equals("Basic ok")) {
            request.attributes().set(Attributes.USER, request.header("X-User").orElse("alice"));
            return chain.next(request.withPath("/index.html"));
        }
        return Response.of(401).withHeader("WWW-Authenticate", "Basic realm=\"test\"");
    };

    @TempDir
    Path dir;
    Path root;
    Path log;
    PortaTestServer server;
    RequestLog observer;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void site() throws IOException {
        root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "0123456789");
        log = dir.resolve("logs/access.log");
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void start(String extraConfig) {
        observer = new RequestLog();
        server = PortaTestServer.builder(root)
                .config("request-log.file = " + log + "\n" + extraConfig + "server.data-dir = " + dir.resolve("data") + "\n")
                .handler("fake-auth", FAKE_AUTH)
                .handler("static-index", new StaticIndex())
                .observer("request-log", observer)
                .start();
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    private List<String> lines(int atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            if (lines.size() >= atLeast) return lines;
            Thread.sleep(20);
        }
        throw new AssertionError("expected " + atLeast + " lines, found " + lines);
    }

    private static Matcher combined(String line) {
        Matcher m = COMBINED.matcher(line);
        assertTrue(m.matches(), "not a combined line: " + line);
        return m;
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        if (headers.length > 0) b.headers(headers);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theTestkitReadsTheAccessLogAtItsDefaultPlace() throws Exception {
        try (PortaTestServer porta = PortaTestServer.builder(root).handler("static-index", new StaticIndex())
                .observer("request-log", new RequestLog()).start()) {
            assertEquals(200, porta.get("/index.html").statusCode());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (porta.accessLog().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(1, porta.accessLog().size(), porta.accessLog().toString());
            assertTrue(combined(porta.accessLog().get(0)).group(0).contains("\"GET /index.html HTTP/1.1\" 200 10"), porta.accessLog().get(0));
            assertTrue(Files.isRegularFile(porta.home().resolve("logs/access.log")), "under the server's own home");
        }
    }

    @Test
    void anAccessLogWrittenUnderTheSiteFolderIsNeverServed() throws Exception {
        log = root.resolve("access.log"); // a careless setting: the log inside the site
        start("request-log.rotate-size = 200\n"); // small: rotated files appear at once
        for (int i = 0; i < 5; i++) assertEquals(200, get("/index.html").statusCode());
        // the writer may take the lines in more than one batch: wait for the rotations, not just a first line
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> names;
        do {
            try (var files = Files.list(root)) {
                names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("access")).sorted().toList();
            }
        } while (names.size() < 3 && System.nanoTime() < deadline && sleep(20));
        assertTrue(names.size() >= 3, "the link and rotated files: " + names);
        for (String name : names) {
            assertEquals(404, get("/" + name).statusCode(), name + " must not be served");
        }
    }

    @Test
    void aRefusedRequestThatWasReadWholeIsLoggedWithItsHeaders() throws Exception {
        start("");
        String r = dev.porta.server.testing.RawClient.exchange(server.port(),
                "POST /upload HTTP/1.1\r\nHost: a\r\nUser-Agent: uploader/1.0\r\nExpect: 200-ok\r\nContent-Length: 3\r\n\r\nabc");
        assertTrue(r.startsWith("HTTP/1.1 417"), r);
        String line = lines(1).get(0);
        assertTrue(line.contains("\"POST /upload HTTP/1.1\" 417 ") && line.endsWith("\"uploader/1.0\""), line);
    }

    @Test
    void checkReportsABadSettingWithFileAndLineAndCreatesNothing() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("check"));
        Path site = Files.createDirectories(empty.resolve("www"));
        String folders = "server.data-dir = " + empty.resolve("data") + "\nserver.log-dir = " + empty.resolve("logs") + "\n";
        assertEquals(List.of("test.properties:3: request-log.format: 'fancy' is neither combined, common, json nor a LogFormat with % directives"),
                PortaTestServer.builder(site).config(folders + "request-log.format = fancy\n").observer("request-log", new RequestLog()).check());
        assertEquals(List.of("test.properties:3: request-log.keep: must be 0 or more"),
                PortaTestServer.builder(site).config(folders + "request-log.keep = -1\n").observer("request-log", new RequestLog()).check());
        assertEquals(List.of(), PortaTestServer.builder(site).config(folders + "request-log.format = json\n").observer("request-log", new RequestLog()).check());
        try (var files = Files.list(empty)) {
            assertEquals(List.of("www"), files.map(p -> p.getFileName().toString()).toList(), "no log or data folder made");
        }
    }

    @Test
    void everyFieldOfTheCombinedLine() throws Exception {
        start("");
        get("/index.html?x=1", "Referer", "http://example.org/page", "User-Agent", "TestAgent/1.0");
        String etag = get("/index.html").headers().firstValue("ETag").orElseThrow();
        get("/index.html", "If-None-Match", etag);
        get("/index.html", "Range", "bytes=2-4");
        get("/missing");
        get("/auth/");
        get("/auth/", "Authorization", "Basic ok", "X-User", "alice");
        RawClient.exchange(server.port(), "HEAD /index.html HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        RawClient.exchange(server.port(), "GET /x HTTP/9.9\r\nHost: a\r\n\r\n");
        List<String> lines = lines(9);
        // observers run after the last byte went out, so lines of back-to-back requests may swap places
        Matcher get = find(lines, "GET /index.html?x=1 HTTP/1.1", "200");
        assertEquals("127.0.0.1", get.group(1));
        assertEquals("-", get.group(2));
        assertEquals("10", get.group(6));
        assertEquals("http://example.org/page", get.group(7));
        assertEquals("TestAgent/1.0", get.group(8));
        java.time.ZonedDateTime.parse(get.group(3), java.time.format.DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", java.util.Locale.US));

        assertEquals("0", find(lines, "GET /index.html HTTP/1.1", "304").group(6));
        assertEquals("3", find(lines, "GET /index.html HTTP/1.1", "206").group(6));
        assertEquals("-", find(lines, "GET /missing HTTP/1.1", "404").group(2));
        assertEquals("-", find(lines, "GET /auth/ HTTP/1.1", "401").group(2));
        assertEquals("alice", find(lines, "GET /auth/ HTTP/1.1", "200").group(2));
        assertEquals("0", find(lines, "HEAD /index.html HTTP/1.1", "200").group(6));
        Matcher malformed = find(lines, "GET /x HTTP/9.9", "505");
        assertEquals("-", malformed.group(8));
        assertEquals("-", malformed.group(2));
    }

    private static Matcher find(List<String> lines, String request, String status) {
        for (String line : lines) {
            Matcher m = combined(line);
            if (m.group(4).equals(request) && m.group(5).equals(status)) return m;
        }
        throw new AssertionError("no line for \"" + request + "\" " + status + " in\n" + String.join("\n", lines));
    }

    @Test
    void aHostileRequestCannotSplitOrForgeALine() throws Exception {
        start("");
        RawClient.exchange(server.port(), "GET /a\"b?c\\d HTTP/1.1\r\nHost: a\r\nUser-Agent: x\" 200 1 \"-\" \"forged\u00ff\r\nConnection: close\r\n\r\n");
        RawClient.exchange(server.port(), "GET /\u0001\u007f\u0080 HTTP/1.1\r\nHost: a\r\n\r\n");
        get("/auth/", "Authorization", "Basic ok", "X-User", "mallory\"");
        List<String> lines = lines(3);
        assertEquals(3, lines.size());
        lines = lines.stream().sorted(java.util.Comparator.comparing(l -> l.contains("mallory") ? 2 : l.contains(" 400 ") ? 1 : 0)).toList();
        Matcher quoted = combined(lines.get(0));
        assertEquals("GET /a\\x22b?c\\x5Cd HTTP/1.1", quoted.group(4));
        assertEquals("x\\x22 200 1 \\x22-\\x22 \\x22forged\\xFF", quoted.group(8));
        Matcher control = combined(lines.get(1));
        assertEquals("400", control.group(5));
        assertEquals("GET /\\x01\\x7F\\x80 HTTP/1.1", control.group(4));
        assertEquals("mallory\\x22", combined(lines.get(2)).group(2));
    }

    @Test
    void credentialsNeverReachTheLog() throws Exception {
        start("");
        get("/auth/", "Authorization", "Basic ok", "X-User", "bob");
        get("/auth/", "Authorization", "Basic c2VjcmV0OnBhc3N3b3Jk");
        String all = String.join("\n", lines(2));
        assertFalse(all.contains("Basic"), all);
        assertFalse(all.contains("c2VjcmV0OnBhc3N3b3Jk"), all);
    }

    @Test
    void secretHeadersCannotBeConfigured() {
        String message = assertThrows(ConfigException.class,
                () -> start("request-log.format = %h %{Authorization}i\n")).getMessage();
        assertTrue(message.startsWith("test.properties:2: request-log.format:"), message);
        assertTrue(message.contains("would write secrets"), message);
        String unknown = assertThrows(ConfigException.class, () -> start("request-log.format = %h %Z\n")).getMessage();
        assertTrue(unknown.contains("unknown directive %Z"), unknown);
        server = null;
    }

    @Test
    void apacheLogFormatDirectives() throws Exception {
        start("request-log.format = %a|%l|%u|%m|%U|%q|%H|%s|%>s|%b|%B|%D|%T|%{X-In}i|%{Content-Type}o|%{Absent}i|%%|%r\n");
        get("/index.html?k=v", "X-In", "in-value");
        get("/missing");
        List<String> lines = lines(2);
        String[] f = lines.get(0).split("\\|", -1);
        assertEquals("127.0.0.1", f[0]);
        assertEquals("-", f[1]);
        assertEquals("-", f[2]);
        assertEquals("GET", f[3]);
        assertEquals("/index.html", f[4]);
        assertEquals("?k=v", f[5]);
        assertEquals("HTTP/1.1", f[6]);
        assertEquals("200", f[7]);
        assertEquals("200", f[8]);
        assertEquals("10", f[9]);
        assertEquals("10", f[10]);
        assertTrue(Long.parseLong(f[11]) >= 0);
        assertEquals("0", f[12]);
        assertEquals("in-value", f[13]);
        assertEquals("text/html; charset=utf-8", f[14]);
        assertEquals("-", f[15]);
        assertEquals("%", f[16]);
        assertEquals("GET /index.html?k=v HTTP/1.1", f[17]);
        assertTrue(lines.get(1).contains("|404|404|"), lines.get(1));
    }

    @Test
    void jsonLines() throws Exception {
        start("request-log.format = json\n");
        get("/auth/", "Authorization", "Basic ok", "X-User", "ann\"ie", "User-Agent", "UA\\1");
        RawClient.exchange(server.port(), "BAD\u0001 / HTTP/1.1\r\n\r\n");
        List<String> lines = lines(2);
        String ok = lines.get(0);
        assertTrue(ok.startsWith("{\"time\":\"") && ok.endsWith("}"), ok);
        assertTrue(ok.contains("\"client\":\"127.0.0.1\""), ok);
        assertTrue(ok.contains("\"user\":\"ann\\\"ie\""), ok);
        assertTrue(ok.contains("\"method\":\"GET\",\"path\":\"/auth/\""), ok);
        assertTrue(ok.contains("\"status\":200,\"bytes\":10,"), ok);
        assertTrue(ok.contains("\"user_agent\":\"UA\\\\1\""), ok);
        String bad = lines.get(1);
        assertTrue(bad.contains("\"method\":null"), bad);
        assertTrue(bad.contains("\"request\":\"BAD\\u0001 / HTTP/1.1\""), bad);
        assertTrue(bad.contains("\"status\":400"), bad);
    }

    @Test
    void jsonLinesWriteUtf8HeaderValuesAsText() throws Exception {
        start("request-log.format = json\n");
        String agent = Exchanges.utf8Bytes("B\u00fccher-Bot \u2713");
        RawClient.exchange(server.port(), "GET /index.html HTTP/1.1\r\nHost: a\r\nUser-Agent: " + agent
                + "\r\nReferer: http://example.org/\u00e9t\u00e9\r\nConnection: close\r\n\r\n");
        String line = lines(1).get(0);
        assertTrue(line.contains("\"user_agent\":\"B\u00fccher-Bot \u2713\""), line);
        assertTrue(line.contains("\"referer\":\"http://example.org/\\u00e9t\\u00e9\""), line); // Latin-1 bytes: not UTF-8
    }

    @Test
    void aChangedFormatStartsANewFileSoThatNoFileMixesFormats() throws Exception {
        start("");
        get("/index.html?run=1");
        server.close();
        start("request-log.format = json\n");
        get("/index.html?run=2");
        server.close();
        start("request-log.format = json\n");
        get("/index.html?run=3");
        server.close();
        server = null;
        List<Path> files;
        try (Stream<Path> s = Files.list(log.getParent())) {
            files = s.filter(p -> !p.equals(log)).sorted().toList();
        }
        assertEquals(2, files.size(), "the combined file and the JSON one: " + files);
        List<String> combined = Files.readAllLines(files.get(0));
        assertEquals(1, combined.size(), combined.toString());
        combined(combined.get(0));
        List<String> json = Files.readAllLines(log);
        assertTrue(Files.isSameFile(log, files.get(1)));
        assertEquals(2, json.size(), "the same format again continues the file: " + json);
        assertTrue(json.stream().allMatch(l -> l.startsWith("{\"time\":")), json.toString());
        assertEquals("json", Files.readString(dir.resolve("data/request-log/format")));
    }

    @Test
    void rotatesBySizeAndKeepsTheConfiguredCount() throws Exception {
        start("request-log.rotate-size = 2k\nrequest-log.keep = 3\nrequest-log.rotate-daily = off\n");
        for (int i = 0; i < 120; i++) get("/index.html?n=" + i);
        server.close(); // flushes
        List<Path> files;
        try (Stream<Path> s = Files.list(log.getParent())) {
            files = s.filter(p -> p.getFileName().toString().matches("access\\..*\\.\\d+\\.log")).sorted().toList();
        }
        assertTrue(files.size() >= 2, "rotated into several files: " + files);
        assertTrue(files.size() <= 4, "the current file and at most 3 kept: " + files);
        for (Path f : files) assertTrue(Files.size(f) <= 2048, "never past rotate-size: " + f + " is " + Files.size(f) + " bytes");
        List<String> last = Files.readAllLines(log);
        assertTrue(last.get(last.size() - 1).contains("n=119"), "the link shows the current file");
        server = null;
    }

    @Test
    void stopWritesEveryQueuedLine() throws Exception {
        start("limits.max-connections-per-client = 1000\n"); // the client opens a connection per request
        int n = 300;
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(client.sendAsync(HttpRequest.newBuilder(server.uri("/index.html?i=" + i)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (var f : all) assertEquals(200, f.get(20, TimeUnit.SECONDS).statusCode());
        server.close();
        server = null;
        assertEquals(n, Files.readAllLines(log).size());
    }

    @Test
    void anExchangeReportedAfterStopIsLeftOutQuietly() throws Exception {
        start("");
        get("/index.html");
        server.close();
        server = null;
        CompletedExchange late = Exchanges.get("/late", 200, 1, false);
        observer.completed(late); // the core promises not to, but a race must not crash
        observer.stop(); // nor a second stop
        assertEquals(1, Files.readAllLines(log).size());
    }

    @Test
    void goAccessParsesEveryLine() throws Exception {
        assumeTrue(onPath("goaccess"), "goaccess is not installed (.ci/run installs it)");
        start("");
        get("/index.html", "User-Agent", "Mozilla/5.0 (X11; Linux x86_64)", "Referer", "http://example.org/");
        get("/missing");
        get("/auth/");
        get("/auth/", "Authorization", "Basic ok", "X-User", "alice");
        RawClient.exchange(server.port(), "GET /\"quoted HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        RawClient.exchange(server.port(), "GET /x HTTP/3.0\r\nHost: a\r\n\r\n");
        int count = lines(6).size();
        Path report = dir.resolve("report.json");
        Process p = new ProcessBuilder("goaccess", log.toString(), "--log-format=COMBINED", "--no-global-config",
                "-o", report.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        String json = Files.readString(report);
        assertTrue(json.contains("\"total_requests\": " + count), json.substring(0, Math.min(600, json.length())));
        assertTrue(json.contains("\"failed_requests\": 0"), json.substring(0, Math.min(600, json.length())));
    }

    private static boolean onPath(String command) {
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dirName, command))) return true;
        }
        return false;
    }
}
