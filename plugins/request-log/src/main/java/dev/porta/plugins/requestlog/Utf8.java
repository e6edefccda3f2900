package dev.porta.plugins.requestlog;

/** UTF-8 read from a string that holds bytes, one char per byte (ISO-8859-1 decoded), as headers do. */
final class Utf8 {

    private Utf8() {
    }

    /**
     * The length (2 to 4) of the well-formed UTF-8 sequence that starts at {@code i}, or 0 if none does
     * there: no overlong form, no surrogate, nothing past U+10FFFF (RFC 3629, Unicode table 3-7).
     */
    static int sequenceLength(String bytes, int i) {
        int b0 = bytes.charAt(i);
        int length;
        int min2 = 0x80;
        int max2 = 0xbf;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            length = 2;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            length = 3;
            if (b0 == 0xe0) min2 = 0xa0; // overlong
            if (b0 == 0xed) max2 = 0x9f; // surrogates
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            length = 4;
            if (b0 == 0xf0) min2 = 0x90; // overlong
            if (b0 == 0xf4) max2 = 0x8f; // past U+10FFFF
        } else {
            return 0;
        }
        if (i + length > bytes.length()) return 0;
        int b1 = bytes.charAt(i + 1);
        if (b1 < min2 || b1 > max2) return 0;
        for (int k = 2; k < length; k++) {
            int b = bytes.charAt(i + k);
            if (b < 0x80 || b > 0xbf) return 0;
        }
        return length;
    }

    /** The code point of the sequence at {@code i}, of a length {@link #sequenceLength} returned. */
    static int decode(String bytes, int i, int length) {
        int cp = bytes.charAt(i) & (0xff >> (length + 1));
        for (int k = 1; k < length; k++) cp = (cp << 6) | (bytes.charAt(i + k) & 0x3f);
        return cp;
    }
}
