package dev.porta.plugins.requestlog;

import java.nio.charset.StandardCharsets;

/**
 * nginx's access-log escaping: {@code "}, {@code \} and every byte outside 32–126 become {@code \xHH},
 * so that no request can end a field early or forge a line.
 */
final class LogEscape {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private LogEscape() {
    }

    /** Escapes a value received as bytes (ISO-8859-1 decoded: one char per byte), e.g. a header. */
    static void raw(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff) {
                text(value, out); // not byte text after all: fall back to its UTF-8 bytes
                return;
            }
        }
        for (int i = 0; i < value.length(); i++) appendByte(value.charAt(i), out);
    }

    /** Escapes text (a decoded path, a user name) as its UTF-8 bytes. */
    static void text(String value, StringBuilder out) {
        boolean ascii = true;
        for (int i = 0; i < value.length() && ascii; i++) ascii = value.charAt(i) < 0x80;
        if (ascii) {
            for (int i = 0; i < value.length(); i++) appendByte(value.charAt(i), out);
            return;
        }
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) appendByte(b & 0xff, out);
    }

    private static void appendByte(int b, StringBuilder out) {
        if (b == '"' || b == '\\' || b < 32 || b > 126) {
            out.append("\\x").append(HEX[b >> 4]).append(HEX[b & 15]);
        } else {
            out.append((char) b);
        }
    }
}
