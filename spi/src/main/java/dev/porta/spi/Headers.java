package dev.porta.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable, ordered list of HTTP header fields. Names compare case-insensitively; a name may occur
 * more than once (multi-valued). The {@code with…} methods return a changed copy.
 *
 * <p>Values are as received (ISO-8859-1 decoded octets, surrounding white space removed); Porta does not
 * split comma-separated lists.
 */
public final class Headers {

    /** No fields at all. */
    public static final Headers EMPTY = new Headers(new String[0]);

    /** Alternating name, value, name, value …; never changed after construction. */
    private final String[] fields;

    private Headers(String[] fields) {
        this.fields = fields;
    }

    /**
     * Builds headers from alternating names and values, e.g. {@code Headers.of("Content-Type", "text/plain")}.
     *
     * @throws IllegalArgumentException if the count is odd or a name or value is null
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        for (String s : namesAndValues) {
            if (s == null) throw new IllegalArgumentException("null header name or value");
        }
        return new Headers(namesAndValues.clone());
    }

    /** Builds headers from a list that alternates names and values; used by the core's parser. */
    public static Headers ofList(List<String> namesAndValues) {
        return of(namesAndValues.toArray(new String[0]));
    }

    /** The first value of the field {@code name}, if present. */
    public Optional<String> first(String name) {
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) return Optional.of(fields[i + 1]);
        }
        return Optional.empty();
    }

    /** Every value of the field {@code name}, in order received; empty if absent. */
    public List<String> all(String name) {
        List<String> values = null;
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                if (values == null) values = new ArrayList<>(2);
                values.add(fields[i + 1]);
            }
        }
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    /** Whether the field {@code name} is present. */
    public boolean contains(String name) {
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) return true;
        }
        return false;
    }

    /** The distinct field names, in first-seen order and original spelling. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < fields.length; i += 2) {
            boolean seen = false;
            for (String n : names) {
                if (n.equalsIgnoreCase(fields[i])) { seen = true; break; }
            }
            if (!seen) names.add(fields[i]);
        }
        return names;
    }

    /** The number of fields (a name that occurs twice counts twice). */
    public int size() {
        return fields.length / 2;
    }

    /** The name of field {@code index} (0 to {@link #size()} - 1), as spelt. */
    public String name(int index) {
        return fields[index * 2];
    }

    /** The value of field {@code index} (0 to {@link #size()} - 1). */
    public String value(int index) {
        return fields[index * 2 + 1];
    }

    /** Calls {@code action} with each name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < fields.length; i += 2) action.accept(fields[i], fields[i + 1]);
    }

    /** A copy with one more field {@code name: value} at the end (an existing field of that name stays). */
    public Headers with(String name, String value) {
        if (name == null || value == null) throw new IllegalArgumentException("null header name or value");
        String[] copy = Arrays.copyOf(fields, fields.length + 2);
        copy[fields.length] = name;
        copy[fields.length + 1] = value;
        return new Headers(copy);
    }

    /** A copy in which {@code name} has exactly the one value {@code value}. */
    public Headers withOnly(String name, String value) {
        return without(name).with(name, value);
    }

    /** A copy without any field called {@code name}. */
    public Headers without(String name) {
        if (!contains(name)) return this;
        List<String> kept = new ArrayList<>(fields.length);
        for (int i = 0; i < fields.length; i += 2) {
            if (!fields[i].equalsIgnoreCase(name)) {
                kept.add(fields[i]);
                kept.add(fields[i + 1]);
            }
        }
        return new Headers(kept.toArray(new String[0]));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Headers[");
        for (int i = 0; i < fields.length; i += 2) {
            if (i > 0) sb.append(", ");
            sb.append(fields[i]).append(": ").append(fields[i + 1]);
        }
        return sb.append(']').toString();
    }
}
