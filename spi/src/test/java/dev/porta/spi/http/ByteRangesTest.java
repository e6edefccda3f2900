package dev.porta.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a Range header resolves against a file of 10 bytes. */
class ByteRangesTest {

    private static Optional<List<ByteRange>> parse(String header) {
        return ByteRanges.parse(header, 10).map(ByteRanges::ranges);
    }

    @Test
    void singleRanges() {
        assertEquals(Optional.of(List.of(new ByteRange(2, 4))), parse("bytes=2-4"));
        assertEquals(Optional.of(List.of(new ByteRange(7, 9))), parse("bytes=-3"));
        assertEquals(Optional.of(List.of(new ByteRange(8, 9))), parse("bytes=8-"));
        assertEquals(Optional.of(List.of(new ByteRange(0, 9))), parse("bytes=0-999"), "a last byte past the end is the end");
        assertEquals(Optional.of(List.of(new ByteRange(0, 9))), parse("bytes=-999"), "a suffix longer than the file is the file");
        assertEquals(Optional.of(List.of(new ByteRange(2, 4))), parse(" BYTES= 2 - 4 "));
    }

    @Test
    void overlappingAndAdjacentRangesAreMergedInOrder() {
        assertEquals(Optional.of(List.of(new ByteRange(0, 4))), parse("bytes=1-4,0-2"));
        assertEquals(Optional.of(List.of(new ByteRange(0, 3), new ByteRange(6, 7))), parse("bytes=6-7,2-3,0-1"));
        assertEquals(Optional.of(List.of(new ByteRange(0, 9))), parse("bytes=0-4,5-9"));
        assertEquals(Optional.of(List.of(new ByteRange(0, 1), new ByteRange(3, 4))), parse("bytes=0-1,3-4"));
        assertEquals(Optional.of(List.of(new ByteRange(0, 4))), parse("bytes=0-4,1-2"), "a range inside another");
    }

    @Test
    void rangesAskingForMoreThanTheFileMeanTheWholeFile() {
        assertEquals(Optional.empty(), parse("bytes=0-5,4-9"));
        assertEquals(Optional.empty(), parse("bytes=0-,-1"));
        assertEquals(Optional.of(List.of(new ByteRange(0, 9))), parse("bytes=0-"));
        assertEquals(Optional.empty(), parse("bytes=" + String.join(",", Collections.nCopies(200, "0-"))));
    }

    @Test
    void atMostMaxRanges() {
        String allowed = String.join(",", Collections.nCopies(ByteRanges.MAX_RANGES, "0-0"));
        assertEquals(Optional.of(List.of(new ByteRange(0, 0))), ByteRanges.parse("bytes=" + allowed, 1000).map(ByteRanges::ranges));
        assertEquals(Optional.empty(), ByteRanges.parse("bytes=" + allowed + ",1-1", 1000));
    }

    @Test
    void anEmptyFileIsSentWhole() {
        assertEquals(Optional.empty(), ByteRanges.parse("bytes=0-", 0));
        assertEquals(Optional.empty(), ByteRanges.parse("bytes=-5", 0));
    }

    @Test
    void anOpenRangeFromTheEndOnIsUnsatisfiable() {
        assertEquals(Optional.of(List.of()), parse("bytes=10-"));
        assertEquals(Optional.of(List.of()), parse("bytes=99-"));
        assertEquals(Optional.of(List.of(new ByteRange(9, 9))), parse("bytes=9-"));
        assertFalse(ByteRanges.parse("bytes=20-30", 10).orElseThrow().isSatisfiable());
        assertFalse(ByteRanges.parse("bytes=-0", 10).orElseThrow().isSatisfiable());
        assertTrue(ByteRanges.parse("bytes=20-30,9-", 10).orElseThrow().isSatisfiable());
    }

    @Test
    void aHeaderThatIsNotARangeSetIsIgnored() {
        for (String header : List.of("lines=1-2", "bytes 0-1", "bytes=1", "bytes=a-b", "bytes=1-a", "bytes=-", "bytes=5-2",
                "bytes=0-1;x", "bytes=+1-2", "bytes=-99999999999999999999", "bytes=99999999999999999999-")) {
            assertEquals(Optional.empty(), parse(header), header);
        }
    }

    @Test
    void contentRanges() {
        assertEquals("bytes 7-9/10", new ByteRange(7, 9).contentRange(10));
        assertEquals("bytes */10", ByteRanges.unsatisfiedContentRange(10));
        assertEquals(3, new ByteRange(7, 9).length());
        assertEquals("bytes=0-1,5-6", ByteRanges.parse("bytes=5-6,0-1", 10).orElseThrow().toString());
    }

    @Test
    void aRangeHasItsEndsInOrder() {
        assertThrows(IllegalArgumentException.class, () -> new ByteRange(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> new ByteRange(3, 2));
        assertThrows(IllegalArgumentException.class, () -> ByteRanges.parse("bytes=0-", -1));
    }
}
