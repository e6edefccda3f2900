package dev.porta.plugins.accesscontrol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tinylog.Logger;

class BruteForceGuardTest {

    private final BruteForceGuard guard = new BruteForceGuard(2, Duration.ofMinutes(5), Logger.tag("access-control"));

    @Test
    void aFullTableEvictsItsOldestEntriesAndForgetsNoOneElse() throws Exception {
        for (int i = 0; i < BruteForceGuard.MAX_TRACKED - 1; i++) fail(address(i)); // one failure each, the oldest entries
        InetAddress attacker = address(BruteForceGuard.MAX_TRACKED);
        fail(attacker);
        fail(attacker);
        assertTrue(guard.lockedForSeconds("a", attacker) > 0);
        fail(address(BruteForceGuard.MAX_TRACKED + 1)); // the table is full: room is made for this one
        assertTrue(guard.lockedForSeconds("a", attacker) > 0, "a full table does not set a locked-out attacker free");
        fail(address(1));
        assertTrue(guard.lockedForSeconds("a", address(1)) > 0, "an entry younger than the oldest keeps its failure");
        fail(address(0));
        assertEquals(0, guard.lockedForSeconds("a", address(0)), "the oldest entry made room");
    }

    private void fail(InetAddress client) {
        guard.reserve("a", client).orElseThrow().failed();
    }

    /** The i-th address of 10.0.0.0/8. */
    private static InetAddress address(int i) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[]{10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
    }
}
