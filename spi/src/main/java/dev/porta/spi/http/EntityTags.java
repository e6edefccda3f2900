package dev.porta.spi.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The value of {@code If-Match} or {@code If-None-Match} (RFC 9110 §13.1.1–2): {@code *}, or a list of
 * entity tags such as {@code "a", W/"b"}.
 *
 * <pre>{@code
 * List<String> ifNoneMatch = request.headers().all("If-None-Match");
 * if (!ifNoneMatch.isEmpty() && EntityTags.parse(ifNoneMatch).matchesWeakly(current)) return Response.of(304);
 * }</pre>
 *
 * <p>Immutable and thread-safe; a final class with a static factory, so that it can gain methods without
 * breaking a compiled plugin.
 */
public final class EntityTags {

    private final boolean any;
    private final List<EntityTag> tags;

    private EntityTags(boolean any, List<EntityTag> tags) {
        this.any = any;
        this.tags = List.copyOf(tags);
    }

    /**
     * Parses one field value. An element that is not an entity tag (no quotes, a character not allowed
     * between them, text after the closing quote) is skipped, so that it matches nothing: for
     * {@code If-Match} the safe answer (412, no lost update), for {@code If-None-Match} a full response.
     * A {@code *} anywhere makes the whole list {@link #isAny() any}. Never fails.
     */
    public static EntityTags parse(String fieldValue) {
        boolean any = false;
        List<EntityTag> tags = new ArrayList<>();
        String s = fieldValue;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ',' || Grammar.isOws(c)) {
                i++;
                continue;
            }
            int end = c == '*' ? i + 1 : EntityTag.end(s, i);
            int next = end < 0 ? -1 : afterOws(s, end);
            if (next >= 0 && (next == s.length() || s.charAt(next) == ',')) {
                if (c == '*') any = true;
                else tags.add(EntityTag.at(s, i, end));
                i = next;
            } else {
                int comma = s.indexOf(',', i);
                i = comma < 0 ? s.length() : comma + 1;
            }
        }
        return new EntityTags(any, tags);
    }

    /** Parses the lines of a field as one list, as {@code Headers.all(name)} gives them. */
    public static EntityTags parse(List<String> fieldLines) {
        return parse(String.join(",", fieldLines));
    }

    /** Whether the field was {@code *}: it matches any current representation. */
    public boolean isAny() {
        return any;
    }

    /** The entity tags listed, in order, weak ones too; none for a plain {@code *}. */
    public List<EntityTag> tags() {
        return tags;
    }

    /**
     * The {@code If-Match} test: {@code *}, or a listed tag that {@link EntityTag#matchesStrongly matches
     * strongly}. {@code *} matches whatever {@code current} is: call this only when the resource has a
     * current representation (without one, {@code If-Match} fails whatever it lists).
     */
    public boolean matchesStrongly(EntityTag current) {
        return any || tags.stream().anyMatch(t -> t.matchesStrongly(current));
    }

    /**
     * The {@code If-None-Match} test: {@code *}, or a listed tag that {@link EntityTag#matchesWeakly
     * matches weakly}. As for {@link #matchesStrongly}, {@code *} assumes a current representation.
     */
    public boolean matchesWeakly(EntityTag current) {
        return any || tags.stream().anyMatch(t -> t.matchesWeakly(current));
    }

    /** The list as a field value: {@code *}, or the tags joined by {@code ", "}. */
    @Override
    public String toString() {
        if (any) return "*";
        StringBuilder out = new StringBuilder();
        for (EntityTag t : tags) {
            if (!out.isEmpty()) out.append(", ");
            out.append(t);
        }
        return out.toString();
    }

    private static int afterOws(String s, int from) {
        int i = from;
        while (i < s.length() && Grammar.isOws(s.charAt(i))) i++;
        return i;
    }
}
