package dev.porta.spi;

import org.pf4j.ExtensionPoint;

/**
 * Told when a client connection opens, closes, or is refused at the door (for metrics and dashboards:
 * open connections, connection churn, refusals and why).
 *
 * <p>{@code OPENED} and {@code CLOSED} come on the connection's own virtual thread, {@code REFUSED} on a
 * thread of the core's; every call must be quick and safe to make from many threads at once. An exception
 * is logged and ignored. A class that implements this and another extension point is created and started
 * once. New kinds of event may come in later 1.x versions: ignore kinds you do not know.
 *
 * <pre>{@code
 * @Extension
 * public final class OpenConnections implements ConnectionObserver {
 *     private final AtomicInteger open = new AtomicInteger();
 *     public void connection(ConnectionEvent event) {
 *         switch (event.kind()) {
 *             case OPENED -> open.incrementAndGet();
 *             case CLOSED -> open.decrementAndGet();
 *             default -> { }
 *         }
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ConnectionObserver extends ExtensionPoint, Lifecycle {

    /** One connection event. */
    void connection(ConnectionEvent event);
}
