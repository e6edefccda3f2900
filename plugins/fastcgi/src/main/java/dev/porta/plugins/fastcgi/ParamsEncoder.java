package dev.porta.plugins.fastcgi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes CGI variables as FastCGI name-value pairs (specification, section 3.4): each length in one byte
 * when below 128, else in four bytes with the high bit set; then the name and value bytes. The result is
 * the content of the PARAMS stream, which the connection cuts into records.
 */
final class ParamsEncoder {

    private ParamsEncoder() {
    }

    /**
     * The pairs of {@code variables} (alternating names and values) in order. Names and values go out as
     * UTF-8: PHP reads them as bytes, and a decoded request path may hold any Unicode character.
     */
    static byte[] encode(List<String> variables) {
        if (variables.size() % 2 != 0) throw new IllegalArgumentException("names and values must come in pairs");
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        for (int i = 0; i < variables.size(); i += 2) {
            byte[] name = variables.get(i).getBytes(StandardCharsets.UTF_8);
            byte[] value = variables.get(i + 1).getBytes(StandardCharsets.UTF_8);
            writeLength(out, name.length);
            writeLength(out, value.length);
            out.writeBytes(name);
            out.writeBytes(value);
        }
        return out.toByteArray();
    }

    /** A Java array length always fits the four-byte form's 31 bits. */
    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 128) {
            out.write(length);
        } else {
            out.write(length >>> 24 | 0x80);
            out.write(length >>> 16);
            out.write(length >>> 8);
            out.write(length);
        }
    }
}
