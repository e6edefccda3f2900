package dev.porta.plugins.staticindex;

import java.nio.charset.StandardCharsets;

/** Percent-encodes a decoded path for a {@code Location} header or a link. */
final class UrlPaths {

    private static final String SAFE = "-._~!$&'()*+,;=:@/";

    private UrlPaths() {
    }

    static String encode(String path) {
        StringBuilder sb = new StringBuilder(path.length() + 8);
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c < 0x80 && SAFE.indexOf(c) >= 0)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
