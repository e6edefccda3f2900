package dev.porta.plugins.staticindex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@code Range: bytes=…} header (RFC 9110 §14.1.2) resolved against a length. A header that is not a
 * valid bytes range set, has more than {@link #MAX_RANGES} ranges, or asks for more bytes in all than the
 * file has, or is asked of an empty file, is ignored (the whole file is sent, as nginx does); ranges that
 * all start at or past the end are unsatisfiable (416). Overlapping and adjacent ranges are merged (RFC 9110 §14.2 allows it), so no
 * byte is sent twice.
 */
final class ByteRanges {

    /** As Apache's {@code MaxRanges} default. */
    static final int MAX_RANGES = 200;

    /**
     * One satisfiable range.
     *
     * @param first the first byte
     * @param last  the last byte, inclusive
     */
    record Range(long first, long last) {
        long length() {
            return last - first + 1;
        }
    }

    private ByteRanges() {
    }

    /**
     * @return empty to send the whole file; an empty list when unsatisfiable; otherwise the ranges
     */
    static Optional<List<Range>> parse(String header, long length) {
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) return Optional.empty();
        if (length == 0) return Optional.empty(); // as nginx: an empty file is sent (200), not refused for having no bytes
        String[] specs = h.substring(6).split(",");
        if (specs.length > MAX_RANGES) return Optional.empty();
        List<Range> ranges = new ArrayList<>();
        for (String raw : specs) {
            String spec = raw.strip();
            if (spec.isEmpty()) continue;
            int dash = spec.indexOf('-');
            if (dash < 0) return Optional.empty();
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            try {
                if (a.isEmpty()) {
                    if (b.isEmpty() || !digits(b)) return Optional.empty();
                    long suffix = Long.parseLong(b);
                    if (suffix > 0 && length > 0) ranges.add(new Range(Math.max(0, length - suffix), length - 1));
                } else {
                    if (!digits(a) || (!b.isEmpty() && !digits(b))) return Optional.empty();
                    long first = Long.parseLong(a);
                    long last = b.isEmpty() ? length - 1 : Long.parseLong(b);
                    // "N-" is never invalid, only unsatisfiable when N is at or past the end
                    if (!b.isEmpty() && last < first) return Optional.empty();
                    if (first < length) ranges.add(new Range(first, Math.min(last, length - 1)));
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        long asked = 0;
        for (Range r : ranges) {
            asked += r.length();
            if (asked > length) return Optional.empty(); // e.g. 200 times "0-": one copy of the file is enough
        }
        return Optional.of(merged(ranges));
    }

    /** {@code ranges} by first byte, with overlapping and adjacent ones joined into one. */
    private static List<Range> merged(List<Range> ranges) {
        List<Range> merged = new ArrayList<>();
        for (Range r : ranges.stream().sorted(Comparator.comparingLong(Range::first)).toList()) {
            int end = merged.size() - 1;
            if (end >= 0 && r.first() <= merged.get(end).last() + 1) {
                merged.set(end, new Range(merged.get(end).first(), Math.max(merged.get(end).last(), r.last())));
            } else {
                merged.add(r);
            }
        }
        return List.copyOf(merged);
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return !s.isEmpty();
    }
}
