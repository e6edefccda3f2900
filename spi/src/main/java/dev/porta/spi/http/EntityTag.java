package dev.porta.spi.http;

import java.util.Optional;

/**
 * An entity tag (RFC 9110 §8.8.3): an opaque string between double quotes, strong ({@code "5f2b-1a0"})
 * or weak ({@code W/"5f2b-1a0"}). The opaque part is kept without its quotes; {@link #toString()} gives
 * the form sent in a field.
 *
 * <pre>{@code
 * EntityTag tag = EntityTag.strong(Long.toHexString(modified) + "-" + Long.toHexString(length));
 * Headers headers = Headers.of("ETag", tag.toString());
 * }</pre>
 *
 * <p>Immutable and thread-safe. A pure value that will not grow, but a final class with static factories
 * rather than a record, so that its one check is not bypassed by a public constructor.
 * {@link #equals(Object)} is exact identity (same weakness, same opaque string); the comparisons that
 * RFC 9110 §8.8.3.2 defines are {@link #matchesStrongly} and {@link #matchesWeakly}.
 *
 * @see EntityTags for the lists of {@code If-Match} and {@code If-None-Match}
 */
public final class EntityTag {

    private final String opaque;
    private final boolean weak;

    private EntityTag(String opaque, boolean weak) {
        for (int i = 0; i < opaque.length(); i++) {
            if (!isEtagc(opaque.charAt(i))) {
                throw new IllegalArgumentException("not allowed in an entity tag: " + (int) opaque.charAt(i) + " in " + opaque);
            }
        }
        this.opaque = opaque;
        this.weak = weak;
    }

    /**
     * A strong tag: the representation is the same byte for byte.
     *
     * @param opaque the text between the quotes, may be empty
     * @throws IllegalArgumentException if {@code opaque} holds a double quote, a control character, a space
     *                                  or a character above U+00FF
     */
    public static EntityTag strong(String opaque) {
        return new EntityTag(opaque, false);
    }

    /**
     * A weak tag: the representation is equivalent, not necessarily identical.
     *
     * @param opaque the text between the quotes, may be empty
     * @throws IllegalArgumentException as for {@link #strong}
     */
    public static EntityTag weak(String opaque) {
        return new EntityTag(opaque, true);
    }

    /**
     * The one entity tag {@code text} is, such as an {@code ETag} or an {@code If-Range} value
     * ({@code "abc"} or {@code W/"abc"}; white space around it is ignored).
     *
     * @return empty if {@code text} is anything else: no quotes, a lower-case {@code w/}, text after the
     *         closing quote, a list
     */
    public static Optional<EntityTag> parse(String text) {
        String s = Grammar.trimOws(text);
        int end = end(s, 0);
        return end == s.length() ? Optional.of(at(s, 0, end)) : Optional.empty();
    }

    /** The text between the quotes. */
    public String opaque() {
        return opaque;
    }

    /** Whether this is a weak tag ({@code W/"…"}). */
    public boolean isWeak() {
        return weak;
    }

    /**
     * The strong comparison (RFC 9110 §8.8.3.2), as {@code If-Match} and {@code If-Range} use: both tags
     * strong and their opaque strings equal. {@code "1"} matches {@code "1"}, not {@code W/"1"}.
     */
    public boolean matchesStrongly(EntityTag other) {
        return !weak && !other.weak && opaque.equals(other.opaque);
    }

    /**
     * The weak comparison (RFC 9110 §8.8.3.2), as {@code If-None-Match} uses: the opaque strings equal,
     * whatever either tag's weakness. {@code W/"1"} matches {@code "1"} and {@code W/"1"}.
     */
    public boolean matchesWeakly(EntityTag other) {
        return opaque.equals(other.opaque);
    }

    /** The tag as sent in a field: {@code "abc"} or {@code W/"abc"}. */
    @Override
    public String toString() {
        return (weak ? "W/\"" : "\"") + opaque + "\"";
    }

    /** Whether {@code other} is an entity tag of the same weakness and opaque string. */
    @Override
    public boolean equals(Object other) {
        return other instanceof EntityTag t && t.weak == weak && t.opaque.equals(opaque);
    }

    /** A hash consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return opaque.hashCode() * 31 + Boolean.hashCode(weak);
    }

    /** The index just past the entity tag that starts at {@code from} in {@code s}, or -1 if none starts there. */
    static int end(String s, int from) {
        int i = s.startsWith("W/", from) ? from + 2 : from; // "W/" is case-sensitive (RFC 9110 §8.8.3)
        if (i >= s.length() || s.charAt(i) != '"') return -1;
        for (i++; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') return i + 1;
            if (!isEtagc(c)) return -1;
        }
        return -1;
    }

    /** The entity tag {@code s[from, end)}, which {@link #end} found. */
    static EntityTag at(String s, int from, int end) {
        boolean weak = s.startsWith("W/", from);
        return new EntityTag(s.substring(from + (weak ? 3 : 1), end - 1), weak);
    }

    /** etagc: {@code %x21 / %x23-7E / obs-text}; a comma is allowed, so a list cannot be split at commas. */
    private static boolean isEtagc(char c) {
        return c == 0x21 || c >= 0x23 && c <= 0x7E || c >= 0x80 && c <= 0xFF;
    }
}
