package dev.porta.spi.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@code Range: bytes=…} header (RFC 9110 §14.1.2) resolved against the length of a representation,
 * with the answer a server gives to it:
 * <ul>
 *   <li>{@link #parse} is empty: ignore the header and send the whole representation (200). So for a
 *       header that is not a valid bytes range set, one with more than {@link #MAX_RANGES} ranges, one
 *       whose ranges ask for more bytes in all than there are (e.g. 200 times {@code 0-}), and any range
 *       of an empty representation (as nginx does);</li>
 *   <li>not {@link #isSatisfiable() satisfiable}: every range starts at or past the end; answer 416 with
 *       {@link #unsatisfiedContentRange};</li>
 *   <li>otherwise the {@link #ranges()} to send (206), in order, overlapping and adjacent ones merged into
 *       one (RFC 9110 §14.2 allows it), so that no byte is sent twice.</li>
 * </ul>
 *
 * <pre>{@code
 * Optional<ByteRanges> ranges = request.header("Range").flatMap(h -> ByteRanges.parse(h, length));
 * if (ranges.isPresent() && !ranges.get().isSatisfiable())
 *     return Response.of(416).withHeader("Content-Range", ByteRanges.unsatisfiedContentRange(length));
 * }</pre>
 *
 * <p>Immutable and thread-safe; a final class with a static factory, so that it can gain methods without
 * breaking a compiled plugin.
 */
public final class ByteRanges {

    /** The most ranges one header may list before it is ignored; as Apache's {@code MaxRanges} default. */
    public static final int MAX_RANGES = 200;

    private final List<ByteRange> ranges;

    private ByteRanges(List<ByteRange> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * Resolves a {@code Range} field value against a representation of {@code length} bytes. The unit
     * {@code bytes} is matched ignoring case; a range {@code N-} is never invalid, only unsatisfiable when
     * {@code N} is at or past the end; a suffix {@code -N} larger than the length is the whole.
     *
     * @return empty to ignore the header (see the class comment); otherwise the resolved ranges, perhaps
     *         none
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public static Optional<ByteRanges> parse(String fieldValue, long length) {
        if (length < 0) throw new IllegalArgumentException("negative length " + length);
        String h = fieldValue.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) return Optional.empty();
        if (length == 0) return Optional.empty(); // as nginx: an empty file is sent (200), not refused for having no bytes
        String[] specs = h.substring(6).split(",");
        if (specs.length > MAX_RANGES) return Optional.empty();
        List<ByteRange> ranges = new ArrayList<>();
        for (String raw : specs) {
            String spec = raw.strip();
            if (spec.isEmpty()) continue;
            int dash = spec.indexOf('-');
            if (dash < 0) return Optional.empty();
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            try {
                if (a.isEmpty()) {
                    if (!digits(b)) return Optional.empty();
                    long suffix = Long.parseLong(b);
                    if (suffix > 0) ranges.add(new ByteRange(Math.max(0, length - suffix), length - 1));
                } else {
                    if (!digits(a) || (!b.isEmpty() && !digits(b))) return Optional.empty();
                    long first = Long.parseLong(a);
                    long last = b.isEmpty() ? length - 1 : Long.parseLong(b);
                    if (!b.isEmpty() && last < first) return Optional.empty();
                    if (first < length) ranges.add(new ByteRange(first, Math.min(last, length - 1)));
                }
            } catch (NumberFormatException e) { // more digits than a long holds
                return Optional.empty();
            }
        }
        long asked = 0;
        for (ByteRange r : ranges) {
            asked += r.length();
            if (asked > length) return Optional.empty(); // e.g. 200 times "0-": one copy of the file is enough
        }
        return Optional.of(new ByteRanges(merged(ranges)));
    }

    /**
     * The {@code Content-Range} value of a 416 for a representation of {@code completeLength} bytes
     * (RFC 9110 §14.4): <code>bytes &#42;/10</code>.
     */
    public static String unsatisfiedContentRange(long completeLength) {
        return "bytes */" + completeLength;
    }

    /** Whether any range is satisfiable; if not, the answer is 416. */
    public boolean isSatisfiable() {
        return !ranges.isEmpty();
    }

    /** The ranges to send, by first byte, none overlapping or adjacent; empty when not satisfiable. */
    public List<ByteRange> ranges() {
        return ranges;
    }

    /** The ranges as a field value, {@code bytes=0-4,7-9}; {@code bytes=} when not satisfiable. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("bytes=");
        for (ByteRange r : ranges) {
            if (out.length() > 6) out.append(',');
            out.append(r.first()).append('-').append(r.last());
        }
        return out.toString();
    }

    /** {@code ranges} by first byte, with overlapping and adjacent ones joined into one. */
    private static List<ByteRange> merged(List<ByteRange> ranges) {
        List<ByteRange> merged = new ArrayList<>();
        for (ByteRange r : ranges.stream().sorted(Comparator.comparingLong(ByteRange::first)).toList()) {
            int end = merged.size() - 1;
            if (end >= 0 && r.first() <= merged.get(end).last() + 1) {
                merged.set(end, new ByteRange(merged.get(end).first(), Math.max(merged.get(end).last(), r.last())));
            } else {
                merged.add(r);
            }
        }
        return merged;
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return !s.isEmpty();
    }
}
