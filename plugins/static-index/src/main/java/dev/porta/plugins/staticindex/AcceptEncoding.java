package dev.porta.plugins.staticindex;

import java.util.Locale;

/** The one question static-index asks of an {@code Accept-Encoding} value (RFC 9110 §12.5.3). */
final class AcceptEncoding {

    private AcceptEncoding() {
    }

    /**
     * Whether {@code header} accepts {@code coding} (lower case) with a q above 0. The coding's own entry
     * decides; {@code *} speaks only for codings not named, so {@code *, br;q=0} refuses br.
     */
    static boolean accepts(String header, String coding) {
        double wildcard = 0;
        for (String item : header.split(",")) {
            String[] parts = item.split(";");
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            if (name.equals(coding)) return quality(parts) > 0;
            if (name.equals("*")) wildcard = Math.max(wildcard, quality(parts));
        }
        return wildcard > 0;
    }

    /** The q of an item split at {@code ;}: 1 when absent, 0 when unreadable. */
    private static double quality(String[] parts) {
        double q = 1;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.startsWith("q=") || p.startsWith("Q=")) {
                try {
                    q = Double.parseDouble(p.substring(2));
                } catch (NumberFormatException e) {
                    q = 0;
                }
            }
        }
        return q;
    }
}
