package dev.porta.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntityTagsTest {

    private static final EntityTag CURRENT = EntityTag.strong("v1");

    @Test
    void aListOfTagsWithCommasInsideThem() {
        EntityTags tags = EntityTags.parse("\"a,b\", W/\"c\" ,\"\"");
        assertEquals(List.of(EntityTag.strong("a,b"), EntityTag.weak("c"), EntityTag.strong("")), tags.tags());
        assertFalse(tags.isAny());
        assertEquals("\"a,b\", W/\"c\", \"\"", tags.toString());
    }

    @Test
    void ifMatchComparesStronglyAndIfNoneMatchWeakly() {
        assertTrue(EntityTags.parse("\"x\", \"v1\"").matchesStrongly(CURRENT));
        assertFalse(EntityTags.parse("\"x\", W/\"v1\"").matchesStrongly(CURRENT));
        assertTrue(EntityTags.parse("\"x\", W/\"v1\"").matchesWeakly(CURRENT));
        assertFalse(EntityTags.parse("\"other\"").matchesWeakly(CURRENT));
        assertFalse(EntityTags.parse("\"V1\"").matchesWeakly(CURRENT));
        assertFalse(EntityTags.parse("\"v1\"").matchesStrongly(EntityTag.weak("v1")), "a weak current tag never matches strongly");
    }

    @Test
    void aStarMatchesAnything() {
        EntityTags any = EntityTags.parse(" * ");
        assertTrue(any.isAny());
        assertTrue(any.tags().isEmpty());
        assertTrue(any.matchesStrongly(CURRENT));
        assertTrue(any.matchesWeakly(EntityTag.weak("w")));
        assertEquals("*", any.toString());
        assertTrue(EntityTags.parse("\"x\", *").isAny());
    }

    @Test
    void elementsThatAreNotTagsAreSkippedAndMatchNothing() {
        EntityTags tags = EntityTags.parse("v1, \"a\"x, w/\"v1\", \"unclosed, **, \"b\"");
        assertEquals(List.of(EntityTag.strong("b")), tags.tags());
        assertFalse(tags.isAny());
        assertFalse(tags.matchesWeakly(CURRENT));
        assertTrue(EntityTags.parse("").tags().isEmpty());
        assertFalse(EntityTags.parse("").matchesStrongly(CURRENT));
    }

    @Test
    void theLinesOfAFieldAreOneList() {
        EntityTags tags = EntityTags.parse(List.of("\"a\"", "\"v1\""));
        assertEquals(List.of(EntityTag.strong("a"), CURRENT), tags.tags());
        assertTrue(tags.matchesStrongly(CURRENT));
    }
}
