package dev.porta.plugins.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FailureLogTest {

    @Test
    void theFirstFailureIsLoggedThenOnePerPeriodWithHowManyWereLeftOut() {
        FailureLog log = new FailureLog(10);
        assertEquals(0, log.admit(1000));
        assertEquals(-1, log.admit(1001));
        assertEquals(-1, log.admit(1009));
        assertEquals(2, log.admit(1010), "the next period's first line counts the two left out");
        assertEquals(0, log.admit(5000), "after a quiet spell: logged, nothing left out");
    }

    @Test
    void aStartAtAnyClockValueLogsTheFirstFailure() {
        FailureLog log = new FailureLog(1_000_000_000L);
        assertEquals(0, log.admit(Long.MIN_VALUE + 5)); // System.nanoTime may be anything, negative too
        assertEquals(-1, log.admit(Long.MIN_VALUE + 6));
    }
}
