package dev.porta.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ConnectionThreadsTest {

    /** Virtual threads, counted: made, and alive now. */
    static final class Counted implements ThreadFactory {
        final AtomicInteger made = new AtomicInteger();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable r) {
            made.incrementAndGet();
            Thread t = Thread.ofVirtual().unstarted(r);
            threads.add(t);
            return t;
        }

        long alive() {
            return threads.stream().filter(Thread::isAlive).count();
        }
    }

    static void awaitParked(ConnectionThreads threads, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (threads.parked() != n && System.nanoTime() < deadline) Thread.sleep(2);
        assertEquals(n, threads.parked(), "threads parked");
    }

    @Test
    void aThreadWhoseConnectionEndedServesTheNextOne() throws Exception {
        Counted factory = new Counted();
        ConnectionThreads threads = new ConnectionThreads(factory, 4);
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        threads.serve(() -> {
            ranOn.add(Thread.currentThread());
            first.countDown();
        });
        assertTrue(first.await(5, TimeUnit.SECONDS));
        awaitParked(threads, 1);
        CountDownLatch second = new CountDownLatch(1);
        threads.serve(() -> {
            ranOn.add(Thread.currentThread());
            second.countDown();
        });
        assertTrue(second.await(5, TimeUnit.SECONDS));
        assertSame(ranOn.get(0), ranOn.get(1), "the parked thread took the second connection");
        assertEquals(1, factory.made.get());
        threads.close();
    }

    @Test
    void aConnectionsInterruptDoesNotReachTheNextOne() throws Exception {
        ConnectionThreads threads = new ConnectionThreads(new Counted(), 1);
        CountDownLatch first = new CountDownLatch(1);
        threads.serve(() -> {
            Thread.currentThread().interrupt();
            first.countDown();
        });
        assertTrue(first.await(5, TimeUnit.SECONDS));
        awaitParked(threads, 1);
        List<Boolean> interrupted = new CopyOnWriteArrayList<>();
        CountDownLatch second = new CountDownLatch(1);
        threads.serve(() -> {
            interrupted.add(Thread.currentThread().isInterrupted());
            second.countDown();
        });
        assertTrue(second.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(false), interrupted);
        threads.close();
    }

    @Test
    void atMostSparesStayParkedTheOthersEnd() throws Exception {
        Counted factory = new Counted();
        ConnectionThreads threads = new ConnectionThreads(factory, 3);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            threads.serve(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        assertEquals(10, factory.made.get(), "ten connections at once: ten threads");
        go.countDown();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        awaitParked(threads, 3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (factory.alive() > 3 && System.nanoTime() < deadline) Thread.sleep(2);
        assertEquals(3, factory.alive(), "the seven beyond the spares ended");
        threads.close();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (factory.alive() > 0 && System.nanoTime() < deadline) Thread.sleep(2);
        assertEquals(0, factory.alive(), "closing ends the parked ones");
        assertEquals(0, threads.parked());
    }

    @Test
    void noSparesMeansAThreadPerConnection() throws Exception {
        Counted factory = new Counted();
        ConnectionThreads threads = new ConnectionThreads(factory, 0);
        for (int i = 0; i < 3; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            threads.serve(ran::countDown);
            assertTrue(ran.await(5, TimeUnit.SECONDS));
        }
        assertEquals(3, factory.made.get());
        assertNotSame(factory.threads.get(0), factory.threads.get(1));
        for (Thread t : factory.threads) t.join(5000);
        assertEquals(0, factory.alive());
    }

    @Test
    void aFactoryThatRefusesIsAnError() {
        ConnectionThreads threads = new ConnectionThreads(r -> null, 2);
        assertThrows(IllegalStateException.class, () -> threads.serve(() -> { }));
        assertEquals(0, threads.parked());
    }

    @Test
    void aConnectionThatFailsStillFreesItsThread() throws Exception {
        Counted factory = new Counted();
        ConnectionThreads threads = new ConnectionThreads(factory, 2);
        CountDownLatch ran = new CountDownLatch(1);
        threads.serve(() -> {
            ran.countDown();
            throw new IllegalStateException("a bug in a connection");
        });
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        // the failure ends that thread (its uncaught-exception handler reports it); the next connection still runs
        CountDownLatch next = new CountDownLatch(1);
        threads.serve(next::countDown);
        assertTrue(next.await(5, TimeUnit.SECONDS));
        threads.close();
        awaitParked(threads, 0); // a thread that was just parking notices the close and leaves
    }
}
