package dev.porta.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityListTest {

    private static int quality(String field, String token) {
        return QualityList.parse(field).quality(token);
    }

    @Test
    void aTokensOwnEntryBeatsTheWildcardWhereverItStands() {
        assertFalse(QualityList.parse("*, br;q=0").accepts("br"));
        assertFalse(QualityList.parse("br;q=0, *").accepts("br"));
        assertTrue(QualityList.parse("*;q=0, br").accepts("br"));
        assertTrue(QualityList.parse("*, br;q=0").accepts("gzip"));
        assertFalse(QualityList.parse("*;q=0").accepts("gzip"));
        assertEquals(700, quality("*;q=0.2, *;q=0.7", "gzip"), "the best wildcard");
    }

    @Test
    void aTokenWithoutQIsFullyAcceptedAndOneNotListedNotAtAll() {
        assertEquals(1000, quality("gzip, deflate", "gzip"));
        assertEquals(0, quality("identity", "gzip"));
        assertFalse(QualityList.parse("identity").accepts("gzip"));
        assertTrue(QualityList.parse("").isEmpty());
        assertFalse(QualityList.parse("").accepts("gzip"));
    }

    @Test
    void qValuesAreKeptExactlyInThousandths() {
        Map<String, Integer> thousandths = Map.of("0.5", 500, "0.125", 125, "0.001", 1, "1.000", 1000, "1.", 1000,
                "1", 1000, "0.", 0, "0.000", 0);
        thousandths.forEach((q, expected) -> assertEquals(expected, quality("gzip;q=" + q, "gzip"), q));
        assertFalse(QualityList.parse("gzip;q=0.000").accepts("gzip"));
    }

    @Test
    void aQThatIsNotAQvalueIsARefusal() {
        for (String q : List.of("1.001", "2", "0.0001", ".5", "0,5", "-1", "abc", "", "0.5e0", "1.5", "0x1")) {
            assertEquals(0, quality("gzip;q=" + q, "gzip"), q);
        }
    }

    @Test
    void letterCaseAndWhiteSpace() {
        assertEquals(500, quality("GZIP;Q=0.5", "gzip"));
        assertEquals(500, quality("gzip;q=0.5", "GZip"));
        assertEquals(500, quality("  gzip ; q=0.5 ,\tbr  ", "gzip"));
        assertEquals(1000, quality("  gzip ; q=0.5 ,\tbr  ", "br"));
        assertEquals(300, quality("gzip;q = 0.3", "gzip"));
    }

    @Test
    void otherParametersAreIgnoredAndTheLastQCounts() {
        assertEquals(300, quality("gzip;level=9;q=0.3", "gzip"));
        assertEquals(1000, quality("gzip;q", "gzip"));
        assertEquals(200, quality("gzip;q=0.9;q=0.2", "gzip"));
    }

    @Test
    void theFirstEntryOfATokenNamedTwiceCounts() {
        assertEquals(500, quality("gzip;q=0.5, gzip", "gzip"));
    }

    @Test
    void emptyElementsAndNamesThatAreNotTokensAreSkipped() {
        QualityList list = QualityList.parse(",, gz ip, br;q=0.5,, ;q=1, \"x\"");
        assertEquals("br;q=0.5", list.toString());
        assertEquals(0, list.quality("gz ip"));
    }

    @Test
    void theLinesOfAFieldAreOneList() {
        QualityList list = QualityList.parse(List.of("gzip;q=0", "br, *"));
        assertFalse(list.accepts("gzip"));
        assertTrue(list.accepts("br"));
        assertTrue(list.accepts("zstd"));
    }

    @Test
    void writesItselfAsAFieldValue() {
        assertEquals("gzip;q=0.8, br;q=1, *;q=0, x;q=0.125", QualityList.parse("GZIP;q=0.800,br,*;q=0,x;q=0.125").toString());
    }
}
