package dev.porta.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTargetTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/                              | /                    | ''",
        "/index.html                    | /index.html          | ''",
        "/a/b/?x=1&y=%20                | /a/b/                | x=1&y=%20",
        "/a%20b                         | /a b                 | ''",
        "/caf%C3%A9/%E6%BC%A2%E5%AD%97  | /café/漢字           | ''",
        "//a///b//                      | /a/b/                | ''",
        "/a/./b/.                       | /a/b/                | ''",
        "/a/b/../c                      | /a/c                 | ''",
        "/a/b/..                        | /a/                  | ''",
        "/a/%2e%2e/b                    | /b                   | ''",
        "/a/%2E./b                      | /b                   | ''",
        "/a/.%2e/b                      | /b                   | ''",
        "/%252e%252e/x                  | /%2e%2e/x            | ''",
        "/..a/b..                       | /..a/b..             | ''",
        "/C:/windows                    | /C:/windows          | ''",
        "http://example.org/p?q         | /p                   | q",
        "http://example.org             | /                    | ''",
        "HTTPS://example.org?x          | /                    | x",
    })
    void decodesAndNormalises(String target, String path, String query) {
        RequestTarget t = RequestTarget.parse(target);
        assertEquals(path, t.path());
        assertEquals(query, t.query());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/..", "/../etc/passwd", "/a/../..", "/%2e%2e/etc/passwd", "/a/%2e%2e/%2e%2e/x", "/.%2e/x",
        "/a%2fb", "/a%2Fb", "/..%2fetc", "/a\\b", "/a%5cb", "/a%5Cb", "/a%00b", "/%c0%ae%c0%ae/x",
        "/%c0%af", "/%e0%80%ae", "/%ff", "/%zz", "/%2", "/%", "*x", "ftp://host/x", "a/b", "/a#frag", "/%0d%0a",
    })
    void refuses(String target) {
        assertEquals(400, assertThrows(HttpException.class, () -> RequestTarget.parse(target)).status());
    }

    @Test
    void noGeneratedTargetLeavesTheRoot() {
        String[] pieces = {"..", ".", "%2e", "%2E", "%2e%2e", ".%2e", "%2e.", "a", "b", "", "%2f", "%5c", "%c0%ae", "%252e", "%00", "~", "é"};
        Random random = new Random(42);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder target = new StringBuilder();
            int n = 1 + random.nextInt(7);
            for (int k = 0; k < n; k++) target.append('/').append(pieces[random.nextInt(pieces.length)]);
            RequestTarget t;
            try {
                t = RequestTarget.parse(target.toString());
            } catch (HttpException e) {
                assertEquals(400, e.status());
                continue;
            }
            accepted++;
            assertTrue(t.path().startsWith("/"), target.toString());
            for (String segment : t.path().substring(1).split("/")) {
                assertFalse(segment.equals("..") || segment.equals("."), target + " -> " + t.path());
            }
            assertFalse(t.path().contains("//") || t.path().contains("\\") || t.path().contains("\0"), target + " -> " + t.path());
        }
        assertTrue(accepted > 1000, "the generator should produce many acceptable paths too");
    }
}
