package dev.porta.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Clients that send a request again and again on platform threads while a test changes the server under
 * them (a plugin swapped, the config reloaded), counting the answers that are right and keeping the rest.
 */
public final class ClientLoop implements AutoCloseable {

    /** One request; its answer (status and body as the test writes it), or an exception that is a failure. */
    @FunctionalInterface
    public interface Exchange {
        String send() throws Exception;
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger ok = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();

    private ClientLoop(int count, Exchange exchange, Predicate<String> right) {
        for (int c = 0; c < count; c++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        String answer = exchange.send();
                        if (right.test(answer)) ok.incrementAndGet();
                        else failures.add(answer);
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
    }

    /** Starts {@code count} clients, each sending {@code exchange} until {@link #close}; {@code right} tells a right answer. */
    public static ClientLoop start(int count, Exchange exchange, Predicate<String> right) {
        return new ClientLoop(count, exchange, right);
    }

    /** Stops the clients and waits for them. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : clients) t.join();
    }

    /** The right answers so far. */
    public int ok() {
        return ok.get();
    }

    /** The wrong answers and exceptions so far. */
    public List<String> failures() {
        return List.copyOf(failures);
    }
}
