package dev.porta.plugins.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a client sends does not decide how much memory one recent request holds. */
class RecentRequestTest {

    @Test
    void longPathsAndNamesAreCutSoTheRingStaysSmall() {
        String path = "/" + "a".repeat(8000);
        RecentRequest r = new RecentRequest(Instant.now(), "127.0.0.1", "u".repeat(5000), "GET", path, 200, 1, 10, "site", false);
        assertEquals(RecentRequest.MAX_TEXT, r.path().length());
        assertTrue(r.path().endsWith("…") && r.path().startsWith("/aaa"));
        assertEquals(RecentRequest.MAX_TEXT, r.user().length());
        assertEquals("/short", new RecentRequest(Instant.now(), "c", "-", "GET", "/short", 200, 1, 1, null, false).path());
    }
}
