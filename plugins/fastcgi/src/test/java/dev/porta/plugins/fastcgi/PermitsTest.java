package dev.porta.plugins.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PermitsTest {

    private static final long LATER = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);

    /** Starts a virtual thread that waits for a permit and records its name when it gets one; returns once it waits. */
    private static Thread waiter(Permits permits, String name, List<String> got, long deadline) throws InterruptedException {
        Thread t = Thread.ofVirtual().start(() -> got.add(permits.acquire(deadline) ? name : name + " refused"));
        while (t.getState() != Thread.State.WAITING && t.isAlive()) Thread.sleep(1);
        return t;
    }

    @Test
    @Timeout(10)
    void aReleasedPermitGoesToTheLongestWaiterInTurn() throws Exception {
        Permits permits = new Permits(1);
        assertTrue(permits.acquire(LATER));
        List<String> got = new CopyOnWriteArrayList<>();
        Thread a = waiter(permits, "a", got, LATER);
        Thread b = waiter(permits, "b", got, LATER);
        permits.release();
        a.join();
        assertEquals(List.of("a"), got);
        assertTrue(b.isAlive(), "b still waits: the permit went to a, not back to the pool");
        assertEquals(0, permits.available());
        permits.release();
        b.join();
        assertEquals(List.of("a", "b"), got);
        permits.release();
        assertEquals(1, permits.available());
    }

    @Test
    @Timeout(10)
    void aWaitPastItsDeadlineIsEndedByTheWatchdogsSweepNotBefore() throws Exception {
        Permits permits = new Permits(1);
        assertTrue(permits.acquire(LATER));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        List<String> got = new CopyOnWriteArrayList<>();
        Thread a = waiter(permits, "a", got, deadline);
        permits.expire(deadline - 1);
        Thread.sleep(20);
        assertTrue(a.isAlive(), "not yet due");
        permits.expire(deadline + 1);
        a.join();
        assertEquals(List.of("a refused"), got);
        permits.release();
        assertEquals(1, permits.available(), "the expired waiter took nothing");
    }

    @Test
    @Timeout(10)
    void anInterruptedWaitGivesUpAndKeepsTheInterrupt() throws Exception {
        Permits permits = new Permits(1);
        assertTrue(permits.acquire(LATER));
        List<Boolean> interrupted = new CopyOnWriteArrayList<>();
        Thread t = Thread.ofVirtual().start(() -> {
            boolean ok = permits.acquire(LATER);
            interrupted.add(!ok && Thread.currentThread().isInterrupted());
        });
        while (t.getState() != Thread.State.WAITING) Thread.sleep(1);
        t.interrupt();
        t.join();
        assertEquals(List.of(true), interrupted);
        permits.release();
        assertEquals(1, permits.available());
        assertFalse(t.isAlive());
    }
}
