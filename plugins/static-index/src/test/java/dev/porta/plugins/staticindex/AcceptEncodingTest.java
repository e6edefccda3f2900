package dev.porta.plugins.staticindex;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AcceptEncodingTest {

    @Test
    void aCodingsOwnEntryBeatsTheWildcardWhereverItStands() {
        assertFalse(AcceptEncoding.accepts("*, br;q=0", "br"));
        assertFalse(AcceptEncoding.accepts("br;q=0, *", "br"));
        assertTrue(AcceptEncoding.accepts("*;q=0, br", "br"));
        assertTrue(AcceptEncoding.accepts("*, br;q=0", "gzip"));
    }

    @Test
    void qualities() {
        assertTrue(AcceptEncoding.accepts("gzip, deflate", "gzip"));
        assertTrue(AcceptEncoding.accepts("GZIP;Q=0.5", "gzip"));
        assertFalse(AcceptEncoding.accepts("gzip;q=0.000", "gzip"));
        assertFalse(AcceptEncoding.accepts("gzip;q=abc", "gzip"));
        assertFalse(AcceptEncoding.accepts("identity", "gzip"));
        assertFalse(AcceptEncoding.accepts("*;q=0", "gzip"));
    }
}
