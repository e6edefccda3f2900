package dev.porta.spi.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A list of tokens with quality values (RFC 9110 §12.4.2), such as {@code Accept-Encoding},
 * {@code Accept-Charset}, {@code Accept-Language} or {@code TE}: {@code gzip;q=0.8, br, *;q=0}. Not for
 * {@code Accept}, whose media ranges rank by how specific they are.
 *
 * <p>A quality is kept exactly, in thousandths: {@code q=0.8} is 800, a missing {@code q} is 1000, and 0
 * refuses the token. A token's own entry decides for it wherever it stands in the list; {@code *} speaks
 * only for tokens the list does not name, so {@code *, br;q=0} refuses {@code br} and accepts
 * {@code gzip}.
 *
 * <pre>{@code
 * QualityList accepted = QualityList.parse(request.headers().all("Accept-Encoding"));
 * if (accepted.accepts("br")) ...
 * }</pre>
 * What an absent field means (for {@code Accept-Encoding}: anything goes) and whether {@code identity} is
 * acceptable unless refused are the caller's rules, not this class's.
 *
 * <p>Immutable and thread-safe; a final class with a static factory, so that it can gain methods
 * without breaking a compiled plugin.
 */
public final class QualityList {

    /** The quality of a token without a {@code q} parameter: 1, in thousandths. */
    public static final int MAX_QUALITY = 1000;

    /** One element: a token in lower case and its quality in thousandths. */
    private record Entry(String token, int quality) {
    }

    private final List<Entry> entries;

    private QualityList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses one field value. Empty elements are skipped, and so are elements whose name is not a token.
     * A {@code q} (either case) whose value is not a qvalue — {@code "0"} or {@code "1"}, then at most
     * three decimals, 1 at most, so not {@code q=1.001}, {@code q=.5} or {@code q=abc} — counts as 0, the
     * safe reading (for {@code Accept-Encoding}, the client then gets what it surely understands). Other
     * parameters are ignored. White space
     * around elements, {@code ;} and {@code =} is allowed. Never fails.
     */
    public static QualityList parse(String fieldValue) {
        List<Entry> entries = new ArrayList<>();
        for (String element : fieldValue.split(",")) {
            String[] parts = element.split(";");
            String token = Grammar.trimOws(parts[0]);
            if (!Grammar.isToken(token)) continue;
            entries.add(new Entry(token.toLowerCase(Locale.ROOT), quality(parts)));
        }
        return new QualityList(entries);
    }

    /** Parses the lines of a field as one list, as {@code Headers.all(name)} gives them. */
    public static QualityList parse(List<String> fieldLines) {
        return parse(String.join(",", fieldLines));
    }

    /**
     * The quality given to {@code token} (compared ignoring case), in thousandths from 0 to
     * {@link #MAX_QUALITY}: that of its own entry (the first, if named twice); else the highest of the
     * {@code *} entries; else 0.
     */
    public int quality(String token) {
        int wildcard = 0;
        for (Entry e : entries) {
            if (e.token.equalsIgnoreCase(token)) return e.quality;
            if (e.token.equals("*")) wildcard = Math.max(wildcard, e.quality);
        }
        return wildcard;
    }

    /** Whether {@code token} has a quality above 0: {@code accepts("gzip")} is true for {@code gzip;q=0.1}. */
    public boolean accepts(String token) {
        return quality(token) > 0;
    }

    /** Whether the list has no entry at all (an empty field, or only elements that were skipped). */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The list as a field value, lower case, each quality written out: {@code gzip;q=0.8, br;q=1}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Entry e : entries) {
            if (!out.isEmpty()) out.append(", ");
            out.append(e.token).append(";q=").append(qvalue(e.quality));
        }
        return out.toString();
    }

    /** {@code thousandths} as the shortest qvalue: 1, 0.8, 0.125, 0. */
    private static String qvalue(int thousandths) {
        if (thousandths == MAX_QUALITY) return "1";
        if (thousandths == 0) return "0";
        String decimals = String.format(Locale.ROOT, "%03d", thousandths);
        int end = decimals.length();
        while (decimals.charAt(end - 1) == '0') end--;
        return "0." + decimals.substring(0, end);
    }

    /** The quality of an element split at {@code ;}: the last {@code q} parameter's, else the maximum. */
    private static int quality(String[] parts) {
        int quality = MAX_QUALITY;
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i];
            int eq = parameter.indexOf('=');
            if (eq >= 0 && Grammar.trimOws(parameter.substring(0, eq)).equalsIgnoreCase("q")) {
                quality = Math.max(0, thousandths(Grammar.trimOws(parameter.substring(eq + 1))));
            }
        }
        return quality;
    }

    /** A qvalue ({@code "0" ["." 0*3DIGIT] / "1" ["." 0*3"0"]}) in thousandths, or -1 if {@code text} is not one. */
    private static int thousandths(String text) {
        int n = text.length();
        if (n == 0 || n > 5 || (text.charAt(0) != '0' && text.charAt(0) != '1') || (n > 1 && text.charAt(1) != '.')) return -1;
        int value = (text.charAt(0) - '0') * 1000;
        int scale = 100;
        for (int i = 2; i < n; i++, scale /= 10) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return -1;
            value += (c - '0') * scale;
        }
        return value > MAX_QUALITY ? -1 : value;
    }
}
