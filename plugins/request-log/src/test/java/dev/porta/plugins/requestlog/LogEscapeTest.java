package dev.porta.plugins.requestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogEscapeTest {

    private static String raw(String s) {
        StringBuilder out = new StringBuilder();
        LogEscape.raw(s, out);
        return out.toString();
    }

    private static String text(String s) {
        StringBuilder out = new StringBuilder();
        LogEscape.text(s, out);
        return out.toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "plain text ~!       | plain text ~!",
        "a\"b                | a\\x22b",
        "a\\b                | a\\x5Cb",
        "tab\there           | tab\\x09here",
        "a\u0000\u001fb\u007f | a\\x00\\x1Fb\\x7F",
        "latin1 \u00e9\u00ff | latin1 \\xE9\\xFF",
    })
    void escapesBytesAsNginxDoes(String in, String expected) {
        assertEquals(expected, raw(in));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "alice       | alice",
        "jos\u00e9   | jos\\xC3\\xA9",
        "\u6f22      | \\xE6\\xBC\\xA2",
        "a\"b        | a\\x22b",
    })
    void escapesTextAsItsUtf8Bytes(String in, String expected) {
        assertEquals(expected, text(in));
    }

    @org.junit.jupiter.api.Test
    void newlinesNeverSurvive() {
        assertEquals("a\\x0D\\x0Ab", raw("a\r\nb"));
        assertEquals("a\\x0D\\x0Ab", text("a\r\nb"));
    }
}
