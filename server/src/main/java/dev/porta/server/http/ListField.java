package dev.porta.server.http;

import java.util.ArrayList;
import java.util.List;

/**
 * A field whose value is a comma-separated list (RFC 9110 §5.6.1): elements split on commas, the optional
 * white space around each trimmed, empty elements ignored. White space inside an element stays, so that
 * {@code chu nked} is not mistaken for {@code chunked}.
 */
public final class ListField {

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private ListField() {
    }

    /** The elements of every line of the field, in order. */
    public static List<String> elements(List<String> values) {
        List<String> out = new ArrayList<>(2);
        for (String value : values) {
            scan(value, (a, b) -> {
                out.add(value.substring(a, b));
                return false;
            });
        }
        return out;
    }

    /** Whether {@code value}'s list holds {@code token} (case-insensitive), without making the list. */
    public static boolean contains(String value, String token) {
        return scan(value, (a, b) -> b - a == token.length() && value.regionMatches(true, a, token, 0, token.length()));
    }

    /** Sees one element, {@code value[a, b)}; true stops the scan. */
    private interface ElementVisitor {
        boolean visit(int a, int b);
    }

    /** Visits each non-empty element of {@code value}, trimmed; whether a visit stopped it. */
    private static boolean scan(String value, ElementVisitor visitor) {
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            int a = start;
            int b = end;
            while (a < b && isOws(value.charAt(a))) a++;
            while (b > a && isOws(value.charAt(b - 1))) b--;
            if (b > a && visitor.visit(a, b)) return true;
            if (comma < 0) break;
            start = comma + 1;
        }
        return false;
    }

    /** Whether {@code s} is an RFC 9110 token: one or more tchar. */
    public static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) return false;
        }
        return true;
    }

    /** Whether {@code c} may be part of a token. */
    public static boolean isTchar(int c) {
        return c >= 0 && c < 128 && TCHAR[c];
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
