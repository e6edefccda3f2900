package dev.porta.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porta.spi.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of the config parser and the core's settings read from it: any text is either
 * refused with a {@link ConfigException} that names {@code FILE:LINE} of a line the file has, or it gives
 * entries with valid keys and trimmed one-line values that, written out again, parse to the same entries;
 * and reading the core's settings from them fails only with a {@code FILE:LINE} message, never otherwise.
 */
class ConfigFileFuzzTest {

    private static final String SOURCE = "fuzz.properties";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-/*]*");
    private static final Pattern WHERE = Pattern.compile(Pattern.quote(SOURCE) + ":(\\d+): .+", Pattern.DOTALL);
    private static final Path HOME = home();

    @FuzzTest
    @DictionaryEntries({"server.", "limits.", "timeouts.", "errors.", "port", "host", "root", "https.port", "https.cert.a",
        "trusted-proxies", "chain", "request-line-bytes", "header-bytes", "body-bytes", "header", "idle", "grace", "drain",
        " = ", "\\x0a", "\\x0d\\x0a", "#", "\\xef\\xbb\\xbf", "off", "on", "10k", "1g", "5s", "0", "-1", "65536", "404", "10.0.0.0/8", "::1"})
    void configIsReadOrRefusedWithFileAndLine(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        int lines = (int) text.lines().count();
        ConfigFile file;
        try {
            file = ConfigFile.parse(SOURCE, text, HOME);
        } catch (ConfigException refused) {
            assertNamesALine(refused, lines);
            return;
        }
        List<String> rewritten = new ArrayList<>();
        int previous = 0;
        for (ConfigFile.Entry e : file.entries().values()) {
            assertTrue(KEY.matcher(e.key()).matches(), e.key());
            assertEquals(e.value().strip(), e.value());
            assertTrue(e.value().lines().count() <= 1, "a value spans lines");
            assertTrue(e.line() > previous && e.line() <= lines, "line " + e.line());
            while (rewritten.size() < e.line() - 1) rewritten.add("");
            rewritten.add(e.key() + " = " + e.value());
            previous = e.line();
        }
        ConfigFile again = ConfigFile.parse(SOURCE, String.join("\n", rewritten), HOME);
        assertEquals(file.entries(), again.entries());

        try {
            ServerConfig.read(file, CommandLine.parse());
        } catch (ConfigException refused) {
            assertNamesALine(refused, lines);
        }
    }

    private static void assertNamesALine(ConfigException refused, int lines) {
        Matcher m = WHERE.matcher(String.valueOf(refused.getMessage()));
        assertTrue(m.matches(), () -> "no FILE:LINE in: " + refused.getMessage());
        int line = Integer.parseInt(m.group(1));
        assertTrue(line >= 1 && line <= Math.max(lines, 1), () -> "line " + line + " of " + lines + ": " + refused.getMessage());
    }

    /** Porta's home for the fuzzed files: a folder with an empty site, so that a config without a root reads. */
    private static Path home() {
        try {
            Path home = Files.createTempDirectory("porta-config-fuzz");
            Files.createDirectories(home.resolve("www"));
            home.toFile().deleteOnExit();
            home.resolve("www").toFile().deleteOnExit();
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
