package dev.porta.spi.http;

/** The pieces of RFC 9110 §5.6 that the helpers of this package share: tokens and optional white space. */
final class Grammar {

    private Grammar() {
    }

    /** Whether {@code s} is a token (RFC 9110 §5.6.2): one or more tchar. */
    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) return false;
        }
        return true;
    }

    private static boolean isTchar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** Whether {@code c} is optional white space (RFC 9110 §5.6.3): space or horizontal tab. */
    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /** {@code s} without the optional white space at either end (not {@code strip()}: other characters stay). */
    static String trimOws(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isOws(s.charAt(a))) a++;
        while (b > a && isOws(s.charAt(b - 1))) b--;
        return s.substring(a, b);
    }
}
