package dev.porta.server.connection;

import dev.porta.server.config.Limits;
import dev.porta.spi.ConnectionEvent;
import dev.porta.spi.IpRange;
import java.util.List;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open connections: counts them in all and per client address against the limits, and finds the
 * ones to close — stalled writers, idle ones at shutdown, all of them when the grace time is over.
 */
public final class ConnectionRegistry {

    private final Limits limits;
    private final List<IpRange> trustedProxies;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean stopping;

    /**
     * A registry that admits connections up to {@code limits}. Trusted proxies are exempt from the
     * per-client cap: all the clients behind one share its address.
     */
    public ConnectionRegistry(Limits limits, List<IpRange> trustedProxies) {
        this.limits = limits;
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** Counts a new connection from {@code peer}; empty when admitted, else which limit was reached. */
    public Optional<ConnectionEvent.Refusal> admit(InetAddress peer) {
        if (count.incrementAndGet() > limits.maxConnections()) {
            count.decrementAndGet();
            return Optional.of(ConnectionEvent.Refusal.SERVER_FULL);
        }
        if (isTrustedProxy(peer)) return Optional.empty();
        boolean[] admitted = {false};
        perClient.compute(peer, (address, n) -> {
            int current = n == null ? 0 : n;
            if (current >= limits.maxConnectionsPerClient()) return n;
            admitted[0] = true;
            return current + 1;
        });
        if (admitted[0]) return Optional.empty();
        count.decrementAndGet();
        return Optional.of(ConnectionEvent.Refusal.CLIENT_FULL);
    }

    private boolean isTrustedProxy(InetAddress peer) {
        for (IpRange r : trustedProxies) {
            if (r.contains(peer)) return true;
        }
        return false;
    }

    /** Registers an admitted connection. */
    public void add(Connection connection) {
        open.add(connection);
    }

    /**
     * Gives back what {@link #admit} counted for {@code connection}, once: called before its socket closes,
     * so that a client that reconnects as soon as it sees the close is not counted twice (a slow observer
     * of the closed connection would otherwise make it a 503).
     */
    public void giveBack(Connection connection) {
        if (connection.takeAdmission()) release(connection.peer().getAddress());
    }

    /** Forgets a connection that has closed, and gives back what {@link #admit} counted unless that was done. */
    public void remove(Connection connection) {
        if (open.remove(connection)) giveBack(connection);
    }

    /** Gives back an admission whose connection never started. */
    public void release(InetAddress peer) {
        count.decrementAndGet();
        perClient.computeIfPresent(peer, (address, n) -> n <= 1 ? null : n - 1);
    }

    /** The number of open connections. */
    public int size() {
        return open.size();
    }

    /** Whether the server is shutting down: responses then close their connection. */
    public boolean stopping() {
        return stopping;
    }

    /** Starts shutting down: idle connections are closed now, busy ones after their response. */
    public void beginStop() {
        stopping = true;
        for (Connection c : open) c.closeIfIdle();
    }

    /** Closes every connection still open. */
    public void closeAll() {
        for (Connection c : open) c.close();
    }

    /** Reports the exchanges of connections whose threads are still stuck in a plugin, as cut short. */
    public void reportStuckExchanges() {
        for (Connection c : open) c.reportStuckExchange();
    }

    /**
     * Enforces the timeouts: closes connections whose current write has blocked longer than
     * {@code writeTimeoutNanos}, and cuts off reads that passed their deadline.
     */
    public void enforceTimeouts(long nowNanos, long writeTimeoutNanos) {
        for (Connection c : open) {
            c.closeIfWriteStalled(nowNanos, writeTimeoutNanos);
            c.expireReadIfLate(nowNanos);
        }
    }
}
