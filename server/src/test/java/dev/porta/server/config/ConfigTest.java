package dev.porta.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.spi.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {

    @TempDir
    Path dir;

    private ServerConfig read(String text) {
        return ServerConfig.read(ConfigFile.parse("porta.properties", text), CommandLine.parse("--root", dir.toString()));
    }

    private String error(String text) {
        return assertThrows(ConfigException.class, () -> read(text)).getMessage();
    }

    @Test
    void readsEveryCoreKey() {
        ServerConfig c = read("""
                # comment
                server.host = 127.0.0.1
                server.port = 9090
                server.trusted-proxies = 10.0.0.0/8, ::1
                server.chain = a, b
                limits.header-bytes = 16k
                limits.body-bytes = 2m
                timeouts.idle = 5s
                timeouts.write = 1500ms
                errors.500 = /oops.html
                errors.404 =
                """);
        assertEquals("127.0.0.1", c.host());
        assertEquals(9090, c.port());
        assertEquals(2, c.trustedProxies().size());
        assertEquals(List.of("a", "b"), c.chain());
        assertEquals(16384, c.limits().headerBytes());
        assertEquals(2 << 20, c.limits().bodyBytes());
        assertEquals(Duration.ofSeconds(5), c.timeouts().idle());
        assertEquals(Duration.ofMillis(1500), c.timeouts().write());
        assertEquals("oops.html", c.errorPages().get(500));
        assertTrue(!c.errorPages().containsKey(404));
    }

    @Test
    void defaultsWithoutAFile() {
        ServerConfig c = ServerConfig.read(ConfigFile.empty(dir), CommandLine.parse("--root", dir.toString()));
        assertEquals(8080, c.port());
        assertEquals("0.0.0.0", c.host());
        assertEquals(Limits.DEFAULTS, c.limits());
        assertEquals("404.html", c.errorPages().get(404));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "server.port = eighty                | porta.properties:2: server.port: 'eighty' is not a whole number",
        "server.port = 70000                 | porta.properties:2: server.port: 70000 is not a port number",
        "server.prot = 80                    | porta.properties:2: unknown key server.prot",
        "limits.header-bytes = lots          | porta.properties:2: limits.header-bytes: 'lots' is not a size",
        "limits.header-count = 0             | porta.properties:2: limits.header-count: must be at least 1",
        "timeouts.idle = 10 parsecs          | porta.properties:2: timeouts.idle: '10 parsecs' is not a duration",
        "server.trusted-proxies = 10.0.0.0/33 | porta.properties:2: server.trusted-proxies: prefix length out of range",
        "server.trusted-proxies = proxy.lan  | porta.properties:2: server.trusted-proxies: not an IP address",
        "errors.abc = x.html                 | porta.properties:2: errors.abc: expected a status code",
        "this line has no equals sign        | porta.properties:2: expected 'key = value'",
        "bad key = 1                         | porta.properties:2: 'bad key' is not a valid key",
        "errors.404 = ../../etc/passwd       | porta.properties:2: errors.404: '../../etc/passwd' is not a page under the site folder",
        "errors.404 = .env                   | porta.properties:2: errors.404: '.env' is not a page under the site folder",
        "errors.500 = pages//500.html        | porta.properties:2: errors.500: 'pages//500.html' is not a page under the site folder",
        "limits.header-bytes = 5g            | porta.properties:2: limits.header-bytes: must be at most 1g",
        "limits.header-bytes = 4g            | porta.properties:2: limits.header-bytes: must be at most 1g",
        "limits.request-line-bytes = 2g      | porta.properties:2: limits.request-line-bytes: must be at most 1g",
        "limits.header-line-bytes = 3000000000 | porta.properties:2: limits.header-line-bytes: must be at most 1g",
        "limits.header-line-bytes = 10       | porta.properties:2: limits.header-line-bytes: must be at least 64",
        "limits.body-bytes = 99999999999999999999 | porta.properties:2: limits.body-bytes: '99999999999999999999' is too large",
        "limits.body-bytes = 9000000000000g  | porta.properties:2: limits.body-bytes: '9000000000000g' is too large",
        "limits.header-count = 5000000000    | porta.properties:2: limits.header-count: '5000000000' is not a whole number",
        "timeouts.idle = 0                   | porta.properties:2: timeouts.idle: must be longer than 0",
        "timeouts.idle = 99999999999999999999d | porta.properties:2: timeouts.idle: '99999999999999999999d' is too long",
        "timeouts.idle = 9999999999999d      | porta.properties:2: timeouts.idle: '9999999999999d' is too long",
        "timeouts.grace = 9223372036854775807s | porta.properties:2: timeouts.grace: '9223372036854775807s' is too long",
    })
    void namesFileLineAndProblem(String line, String expected) {
        String message = error("# first line\n" + line + "\n");
        assertTrue(message.startsWith(expected), message);
    }

    @Test
    void relativePathsInTheFileAreTakenAgainstPortasHome() throws Exception {
        Files.createDirectories(dir.resolve("site"));
        ConfigFile file = ConfigFile.parse("porta.properties", "server.root = site\nserver.log-dir = my-logs\n", dir);
        ServerConfig c = ServerConfig.read(file, CommandLine.parse());
        assertEquals(dir.resolve("site").toRealPath(), c.root());
        assertEquals(dir.toAbsolutePath().resolve("my-logs"), c.logDir());
        assertEquals(dir.toAbsolutePath().resolve("data"), c.dataDir());
        assertEquals(dir.toAbsolutePath().resolve("plugins"), c.plugins());
        assertEquals(Optional.of(dir.toAbsolutePath().resolve("conf/users")),
                new ConfigSettings(ConfigFile.parse("p", "x.users = conf/users\n", dir), "x").getPath("users"));
    }

    @Test
    void relativePathsOnTheCommandLineAreTakenAgainstTheWorkingDirectory() {
        CommandLine flags = CommandLine.parse("--root", "site", "--plugins", "p", "--config", "c.properties");
        Path cwd = Path.of("").toAbsolutePath();
        assertEquals(cwd.resolve("site"), flags.root().orElseThrow());
        assertEquals(cwd.resolve("p"), flags.plugins().orElseThrow());
        assertEquals(cwd.resolve("c.properties"), flags.config().orElseThrow());
    }

    @Test
    void aSizeUpToOneGibibyteIsKeptExactly() {
        ServerConfig c = read("limits.header-bytes = 1g\nlimits.header-line-bytes = 16k\n");
        assertEquals(1 << 30, c.limits().headerBytes());
        assertEquals(16 * 1024, c.limits().headerLineBytes());
    }

    @Test
    void repeatedKeyNamesBothLines() {
        assertEquals("porta.properties:3: server.port is already set on line 1",
                error("server.port = 1\n\nserver.port = 2\n"));
    }

    @Test
    void missingRootIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.read(
                ConfigFile.parse("p.properties", "server.root = " + dir.resolve("nope")), CommandLine.parse()));
        assertTrue(e.getMessage().startsWith("p.properties:1: server.root:"), e.getMessage());
    }

    @Test
    void unreadableFileIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.read(dir.resolve("missing.properties"), dir));
        assertTrue(e.getMessage().contains("missing.properties: cannot read the config file"), e.getMessage());
    }

    @Test
    void readsAFileFromDisk() throws Exception {
        Path file = dir.resolve("porta.properties");
        Files.writeString(file, "server.port = 1234\n");
        assertEquals(1234, ServerConfig.read(ConfigFile.read(file, dir), CommandLine.parse("--root", dir.toString())).port());
    }

    @Test
    void flagsOverrideTheFile() {
        ServerConfig c = ServerConfig.read(ConfigFile.parse("p", "server.port = 1\nserver.host = 0.0.0.0\n"),
                CommandLine.parse("--port", "0", "--host", "127.0.0.1", "--root", dir.toString(), "--plugins=/tmp/x"));
        assertEquals(0, c.port());
        assertEquals("127.0.0.1", c.host());
        assertEquals(Path.of("/tmp/x"), c.plugins());
    }

    @Test
    void badFlagsAreErrors() {
        assertTrue(assertThrows(ConfigException.class, () -> CommandLine.parse("--port", "x")).getMessage().contains("--port x"));
        assertTrue(assertThrows(ConfigException.class, () -> CommandLine.parse("--nope", "1")).getMessage().contains("unknown flag --nope"));
        assertTrue(assertThrows(ConfigException.class, () -> CommandLine.parse("--root")).getMessage().contains("--root needs a value"));
        // an unknown flag is unknown, with or without a value after it; never "needs a value"
        assertEquals("command line: unknown flag --bogus (porta --help lists them)",
                assertThrows(ConfigException.class, () -> CommandLine.parse("--bogus")).getMessage());
        assertEquals("command line: unknown flag --version=1 (porta --help lists them)".replace("--version=1", "--version"),
                assertThrows(ConfigException.class, () -> CommandLine.parse("--version=1")).getMessage());
        assertEquals("command line: --port needs a value (--port N)", assertThrows(ConfigException.class, () -> CommandLine.parse("--port", "--root", "x")).getMessage());
        assertEquals("command line: --config needs a value (--config FILE)", assertThrows(ConfigException.class, () -> CommandLine.parse("--config")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> CommandLine.parse("serve")).getMessage().startsWith("command line: unexpected argument 'serve'"));
    }

    @Test
    void pluginSettingsAreTypedAndTracked() {
        ConfigFile file = ConfigFile.parse("p", "x.size = 2k\nx.on = yes\nx.list = a, b,,c\nx.typo = 1\n");
        ConfigSettings s = new ConfigSettings(file, "x");
        assertEquals(2048, s.getBytes("size", 0));
        assertTrue(s.getBoolean("on", false));
        assertEquals(List.of("a", "b", "c"), s.getList("list"));
        assertEquals("p:4: unknown key x.typo", assertThrows(ConfigException.class, s::rejectUnread).getMessage());
        assertEquals("p:2: x.on: nope", s.invalid("on", "nope").getMessage());
    }
}
