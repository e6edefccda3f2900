package dev.porta.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EntityTagTest {

    private static EntityTag tag(String text) {
        return EntityTag.parse(text).orElseThrow();
    }

    @Test
    void parsesStrongAndWeakTags() {
        assertEquals(EntityTag.strong("xyzzy"), tag("\"xyzzy\""));
        assertEquals(EntityTag.weak("xyzzy"), tag("W/\"xyzzy\""));
        assertEquals(EntityTag.strong(""), tag("\"\""));
        assertEquals(EntityTag.strong("a,b"), tag(" \"a,b\"\t"));
        assertTrue(tag("W/\"1\"").isWeak());
        assertEquals("1", tag("W/\"1\"").opaque());
    }

    @Test
    void writesTheFieldForm() {
        assertEquals("\"5f2b-1a0\"", EntityTag.strong("5f2b-1a0").toString());
        assertEquals("W/\"5f2b-1a0\"", EntityTag.weak("5f2b-1a0").toString());
        assertEquals(Optional.of(EntityTag.weak("é!")), EntityTag.parse(EntityTag.weak("é!").toString()));
    }

    @Test
    void anythingElseIsNotATag() {
        for (String text : List.of("", "xyzzy", "\"xyzzy", "xyzzy\"", "w/\"xyzzy\"", "W/xyzzy", "\"a\"b", "\"a b\"",
                "\"a\", \"b\"", "*", "W/ \"a\"", "\"a\u0001\"", "\"\u0100\"")) {
            assertEquals(Optional.empty(), EntityTag.parse(text), text);
        }
    }

    @Test
    void theFactoriesRefuseWhatCannotStandBetweenTheQuotes() {
        for (String opaque : List.of("a\"b", "a b", "tab\t", "\u007f", "\u20ac")) {
            assertThrows(IllegalArgumentException.class, () -> EntityTag.strong(opaque), opaque);
            assertThrows(IllegalArgumentException.class, () -> EntityTag.weak(opaque), opaque);
        }
    }

    /** The table of RFC 9110 §8.8.3.2. */
    @Test
    void strongAndWeakComparison() {
        assertFalse(tag("W/\"1\"").matchesStrongly(tag("W/\"1\"")));
        assertTrue(tag("W/\"1\"").matchesWeakly(tag("W/\"1\"")));
        assertFalse(tag("W/\"1\"").matchesStrongly(tag("W/\"2\"")));
        assertFalse(tag("W/\"1\"").matchesWeakly(tag("W/\"2\"")));
        assertFalse(tag("W/\"1\"").matchesStrongly(tag("\"1\"")));
        assertTrue(tag("W/\"1\"").matchesWeakly(tag("\"1\"")));
        assertTrue(tag("\"1\"").matchesStrongly(tag("\"1\"")));
        assertTrue(tag("\"1\"").matchesWeakly(tag("\"1\"")));
        assertFalse(tag("\"1\"").matchesStrongly(tag("W/\"1\"")));
    }

    @Test
    void equalityIsIdentityOfWeaknessAndOpaque() {
        assertEquals(EntityTag.strong("a"), EntityTag.strong("a"));
        assertEquals(EntityTag.strong("a").hashCode(), EntityTag.strong("a").hashCode());
        assertNotEquals(EntityTag.strong("a"), EntityTag.weak("a"));
        assertNotEquals(EntityTag.strong("a"), EntityTag.strong("A"));
    }
}
