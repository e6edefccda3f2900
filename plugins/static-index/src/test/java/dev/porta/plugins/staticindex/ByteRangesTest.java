package dev.porta.plugins.staticindex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.porta.plugins.staticindex.ByteRanges.Range;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a Range header resolves against a file of 10 bytes. */
class ByteRangesTest {

    private static Optional<List<Range>> parse(String header) {
        return ByteRanges.parse(header, 10);
    }

    @Test
    void overlappingAndAdjacentRangesAreMergedInOrder() {
        assertEquals(Optional.of(List.of(new Range(0, 4))), parse("bytes=1-4,0-2"));
        assertEquals(Optional.of(List.of(new Range(0, 3), new Range(6, 7))), parse("bytes=6-7,2-3,0-1"));
        assertEquals(Optional.of(List.of(new Range(0, 9))), parse("bytes=0-4,5-9"));
        assertEquals(Optional.of(List.of(new Range(0, 1), new Range(3, 4))), parse("bytes=0-1,3-4"));
    }

    @Test
    void rangesAskingForMoreThanTheFileMeanTheWholeFile() {
        assertEquals(Optional.empty(), parse("bytes=0-5,4-9"));
        assertEquals(Optional.empty(), parse("bytes=0-,-1"));
        assertEquals(Optional.of(List.of(new Range(0, 9))), parse("bytes=0-"));
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
        assertEquals(Optional.of(List.of(new Range(9, 9))), parse("bytes=9-"));

    }
}
