package dev.porta.plugins.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The top tables stay bounded under a flood of distinct keys and still find the frequent ones. */
class TopCountsTest {

    @Test
    void aFloodOfDistinctPathsKeepsTheFrequentOnesInBoundedMemory() {
        TopCounts top = new TopCounts(50);
        for (int i = 0; i < 200_000; i++) {
            top.add("/scan/" + i);
            if (i % 10 == 0) top.add("/popular");
            if (i % 25 == 0) top.add("/second");
        }
        assertEquals(50, top.size());
        assertEquals("/popular", top.top(2).get(0).getKey());
        assertEquals("/second", top.top(2).get(1).getKey());
        assertTrue(top.top(1).get(0).getValue() >= 20_000);
    }

    @Test
    void aLongKeyIsCut() {
        TopCounts top = new TopCounts(5);
        top.add("/" + "a".repeat(10_000));
        assertTrue(top.top(1).get(0).getKey().length() <= 201);
    }
}
