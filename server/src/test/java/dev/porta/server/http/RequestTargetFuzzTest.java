package dev.porta.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the target decoder: whatever target a client sends (visible ASCII, as the
 * request-line parser admits), the decoded path is refused with 400 or it starts with {@code /}, has no
 * {@code .}, {@code ..} or empty segment, no NUL, backslash or control character, never leaves a site
 * folder when resolved under it, and decoding it again once percent-encoded gives the same path.
 */
class RequestTargetFuzzTest {

    private static final Path ROOT = Path.of("/srv/site");

    @FuzzTest
    @DictionaryEntries({"/", "..", "%2e", "%2E%2e", "%2f", "%5c", "\\x5c", "%00", "%c0%ae", "%e2%80%ae", "?", "#", "//",
        "http://", "https://h", "HTTP://a:80/", "/./", "/../", "%25", "%ff"})
    void decodedPathNeverLeavesTheRoot(byte[] data) {
        String target = visibleAscii(data);
        RequestTarget decoded;
        try {
            decoded = RequestTarget.parse(target);
        } catch (HttpException refused) {
            assertEquals(400, refused.status(), refused.getMessage());
            return;
        }
        String path = decoded.path();
        assertTrue(path.startsWith("/"), path);
        assertFalse(path.contains("//"), path);
        for (String segment : path.substring(1).split("/", -1)) {
            assertFalse(segment.equals(".") || segment.equals(".."), () -> "segment '" + segment + "' in " + path);
        }
        path.chars().forEach(c -> assertTrue(c >= 0x20 && c != 0x7f && c != '\\', () -> "char " + c + " in " + path));
        Path file = ROOT.resolve(path.substring(1));
        assertTrue(file.normalize().startsWith(ROOT), () -> path + " leaves the root");
        assertEquals(file, file.normalize(), () -> path + " is not normal");

        assertFalse(decoded.query().contains("#"));
        assertTrue(target.endsWith(decoded.query()));

        // Idempotent: the path percent-encoded (as a client or a proxy would forward it) decodes to itself.
        String reencoded = encode(path) + (decoded.query().isEmpty() ? "" : "?" + decoded.query());
        RequestTarget again = RequestTarget.parse(reencoded);
        assertEquals(path, again.path());
        assertEquals(decoded.query(), again.query());
    }

    /** The bytes as a target the request-line parser could hand on: each byte mapped into 0x21..0x7e. */
    private static String visibleAscii(byte[] data) {
        char[] chars = new char[data.length];
        for (int i = 0; i < data.length; i++) {
            int b = data[i] & 0xff;
            chars[i] = b > 0x20 && b < 0x7f ? (char) b : (char) (0x21 + b % 94);
        }
        return new String(chars);
    }

    /** Every byte of the UTF-8 path but unreserved characters and {@code /} as %XX. */
    private static String encode(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        return sb.toString();
    }
}
