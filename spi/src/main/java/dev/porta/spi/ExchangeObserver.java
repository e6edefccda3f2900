package dev.porta.spi;

import org.pf4j.ExtensionPoint;

/**
 * Told about every exchange, exactly once, when it ends: for access logs and metrics. "Every" means every
 * exchange that began (a first byte of a request arrived): those answered by a plugin, those the core
 * answers itself (a malformed request's 400, 408, 413, 414, 417, 431, 501, 505, {@code OPTIONS *}, and the
 * 503 of a full server), and those whose response did not go out whole — the client went away, a write
 * timed out, the grace time at shutdown ran out — which are marked {@link CompletedExchange#cutShort()}
 * and carry the bytes actually sent. Nothing is reported after this observer's {@link Lifecycle#stop()}.
 *
 * <p>Called on the connection's virtual thread after the response left (or failed), so the client never
 * waits on it; but the next request of that connection does, so do slow work (disk, network) elsewhere.
 * The 503s of a full server come on one platform thread of the core's instead. Must be safe to call from
 * many threads at once. An exception (short of a {@code VirtualMachineError}) is logged and ignored.
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
