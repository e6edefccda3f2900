package dev.porta.plugins.requestlog;

import static dev.porta.plugins.requestlog.Exchanges.get;
import static dev.porta.plugins.requestlog.Exchanges.utf8Bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLinesFormatTest {

    private final JsonLinesFormat json = new JsonLinesFormat();

    private String userAgent(String headerBytes) {
        String line = json.format(get("/", 200, 1, false, "User-Agent", headerBytes));
        String key = "\"user_agent\":";
        return line.substring(line.indexOf(key) + key.length(), line.indexOf(",\"tls_protocol\":"));
    }

    @Test
    void theTlsProtocolAndCipherAreTheLastKeysNullOverPlainHttp() {
        String tls = json.format(Exchanges.getOverTls("/a", "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
        assertTrue(tls.endsWith(",\"tls_protocol\":\"TLSv1.2\",\"tls_cipher\":\"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\"}"), tls);
        String plain = json.format(get("/", 200, 1, false));
        assertTrue(plain.endsWith(",\"tls_protocol\":null,\"tls_cipher\":null}"), plain);
    }

    @Test
    void aCutShortResponseSaysSoWithTheBytesThatWentOut() {
        String line = json.format(get("/big.iso", 200, 2809608, true));
        assertTrue(line.contains("\"status\":200,\"bytes\":2809608,\"cut_short\":true,"), line);
    }

    @Test
    void aWholeResponseHasCutShortFalse() {
        String line = json.format(get("/big.iso", 200, 10, false));
        assertTrue(line.contains("\"status\":200,\"bytes\":10,\"cut_short\":false,"), line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Mozilla/5.0               | \"Mozilla/5.0\"",
        "caf\u00e9 na\u00efve            | \"caf\u00e9 na\u00efve\"",
        "\u6f22\u5b57 \ud83d\ude00 \u20ac | \"\u6f22\u5b57 \ud83d\ude00 \u20ac\"",
    })
    void validUtf8HeaderBytesAreWrittenAsTheirCharacters(String text, String expected) {
        assertEquals(expected, userAgent(utf8Bytes(text)));
    }

    @Test
    void bytesThatAreNotUtf8AreWrittenAsEscapes() {
        // a Latin-1 é alone, a lone continuation byte, a truncated sequence, an overlong '/', a surrogate
        assertEquals("\"caf\\u00e9\"", userAgent("caf\u00e9"));
        assertEquals("\"a\\u0080b\"", userAgent("a\u0080b"));
        assertEquals("\"\\u00e2\\u0082\"", userAgent("\u00e2\u0082"));
        assertEquals("\"\\u00c0\\u00af\"", userAgent("\u00c0\u00af"));
        assertEquals("\"\\u00ed\\u00a0\\u0080\"", userAgent("\u00ed\u00a0\u0080"));
        // valid and invalid side by side
        assertEquals("\"\u00e9\\u00ff\u00e9\"", userAgent(utf8Bytes("\u00e9") + "\u00ff" + utf8Bytes("\u00e9")));
    }

    @Test
    void decodedCharactersThatCouldMisleadAreEscaped() {
        // U+0085 (a C1 control) and U+2028 arrive as valid UTF-8, but a terminal or a JavaScript reader
        // would take them for control: escaped, as JSON allows
        assertEquals("\"a\\u0085b\\u2028c\"", userAgent(utf8Bytes("a\u0085b\u2028c")));
    }

    @Test
    void aDecodedPathIsTextAlready() {
        String line = json.format(get("/caf\u00e9", 200, 1, false));
        assertTrue(line.contains("\"path\":\"/caf\u00e9\""), line);
    }
}
