package dev.porta.plugins.status;

/**
 * A small JSON writer for the pages' data: enough for objects, arrays, strings and numbers, with strings
 * escaped so that a hostile path cannot break out of its value (and {@code <} escaped, so that no
 * {@code </script>} appears either).
 */
final class Json {

    private final StringBuilder out = new StringBuilder(4096);
    private boolean needsComma;

    Json beginObject() {
        comma();
        out.append('{');
        needsComma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        needsComma = true;
        return this;
    }

    Json beginArray() {
        comma();
        out.append('[');
        needsComma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        needsComma = true;
        return this;
    }

    /** Starts a member {@code "name":}; the value follows. */
    Json name(String name) {
        comma();
        string(name);
        out.append(':');
        needsComma = false;
        return this;
    }

    Json value(String s) {
        comma();
        string(s);
        needsComma = true;
        return this;
    }

    Json value(long n) {
        comma();
        out.append(n);
        needsComma = true;
        return this;
    }

    Json value(double d) {
        comma();
        out.append(Double.isFinite(d) ? Double.toString(d) : "0");
        needsComma = true;
        return this;
    }

    Json field(String name, String v) {
        return name(name).value(v);
    }

    Json field(String name, long v) {
        return name(name).value(v);
    }

    Json field(String name, double v) {
        return name(name).value(v);
    }

    Json field(String name, boolean v) {
        name(name);
        out.append(v);
        needsComma = true;
        return this;
    }

    private void comma() {
        if (needsComma) out.append(',');
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
