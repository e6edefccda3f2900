package dev.porta.spi;

import org.pf4j.ExtensionPoint;

/**
 * Told about every exchange after its last byte has been written: for access logs and metrics. This
 * includes the exchanges the core answers itself (a malformed request's 400, 408, 413, 414, 431, 501, 505,
 * and the 503 of a full server).
 *
 * <p>Called on the connection's virtual thread, after the response left, so the client never waits on
 * it; but the next request of that connection does, so do slow work (disk, network) elsewhere. Must be
 * safe to call from many threads at once. An exception is logged and ignored.
 *
 * <p>A class may implement both {@link Handler} and {@code ExchangeObserver} (to count what it answered,
 * say): Porta then makes one instance of it, which serves as both and is started and stopped once.
 */
@FunctionalInterface
public interface ExchangeObserver extends ExtensionPoint, Lifecycle {

    /**
     * One exchange finished.
     *
     * @param exchange what was asked, what was answered, and how it ended
     */
    void completed(CompletedExchange exchange);
}
