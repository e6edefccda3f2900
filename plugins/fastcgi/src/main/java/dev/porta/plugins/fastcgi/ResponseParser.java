package dev.porta.plugins.fastcgi;

import dev.porta.spi.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the CGI response head at the start of the application's STDOUT (RFC 3875 section 6): header
 * lines ended by LF or CRLF, then an empty line. {@code Status} gives the status (200 without it, 302
 * when there is a {@code Location} and no {@code Status}); repeated fields such as {@code Set-Cookie}
 * stay separate; the framing fields are the core's to write, except that a valid {@code Content-Length}
 * is kept as the body's length.
 */
final class ResponseParser {

    /** The head PHP writes is small; a larger one is a broken application, answered 502. */
    static final int MAX_HEAD = 64 * 1024;

    /**
     * The parsed head.
     *
     * @param status        the HTTP status
     * @param headers       the fields to send, without {@code Status} and the framing fields
     * @param contentLength the declared body length, or -1
     */
    record Head(int status, Headers headers, long contentLength) {
    }

    private ResponseParser() {
    }

    /**
     * Reads the head from {@code in}, leaving it at the first body byte.
     *
     * @throws UpstreamException 502 for a head that is too long, cut short or malformed
     * @throws IOException       when reading fails
     */
    static Head parse(InputStream in) throws IOException {
        List<String> fields = new ArrayList<>();
        int status = -1;
        boolean location = false;
        long contentLength = -1;
        byte[] line = new byte[1024];
        int total = 0;
        while (true) {
            int len = 0;
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) throw new UpstreamException(502, "answer ended inside its header");
                if (++total > MAX_HEAD) throw new UpstreamException(502, "answer header longer than " + MAX_HEAD + " bytes");
                if (len == line.length) line = Arrays.copyOf(line, len * 2);
                line[len++] = (byte) c;
            }
            if (len > 0 && line[len - 1] == '\r') len--;
            if (len == 0) break;
            String text = new String(line, 0, len, StandardCharsets.ISO_8859_1);
            int colon = text.indexOf(':');
            if (colon <= 0 || !isToken(text, colon)) throw new UpstreamException(502, "malformed header line in answer: " + printable(text));
            String name = text.substring(0, colon);
            String value = text.substring(colon + 1).strip();
            if (!isFieldValue(value)) throw new UpstreamException(502, "control character in answer header " + name);
            if (name.equalsIgnoreCase("Status")) {
                if (status < 0) status = parseStatus(value);
            } else if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = contentLength == -1 ? parseLength(value) : -2; // two values: not trusted
            } else if (!name.equalsIgnoreCase("Transfer-Encoding") && !name.equalsIgnoreCase("Connection")
                    && !name.equalsIgnoreCase("Keep-Alive")) {
                if (name.equalsIgnoreCase("Location")) location = true;
                fields.add(name);
                fields.add(value);
            }
        }
        if (status < 0) status = location ? 302 : 200;
        return new Head(status, Headers.ofList(fields), Math.max(contentLength, -1));
    }

    private static int parseStatus(String value) throws UpstreamException {
        if (value.length() >= 3) {
            try {
                int status = Integer.parseInt(value.substring(0, 3));
                if (status >= 200 && status <= 599 && (value.length() == 3 || value.charAt(3) == ' ')) return status;
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new UpstreamException(502, "bad Status in answer: " + printable(value));
    }

    private static long parseLength(String value) {
        if (value.isEmpty() || value.length() > 18) return -2;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') return -2;
        }
        return Long.parseLong(value);
    }

    /** RFC 9110 token characters. */
    private static boolean isToken(String s, int end) {
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            boolean ok = c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
            if (!ok) return false;
        }
        return true;
    }

    /** No control character but tab: a CR or NUL would split or corrupt the response head. */
    private static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
        }
        return true;
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
