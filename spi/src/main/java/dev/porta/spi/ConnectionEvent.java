package dev.porta.spi;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ConnectionObserver} learns about a connection. Immutable; a final class built by the core
 * through {@link #builder()}, so that later 1.x versions can add to it.
 */
public final class ConnectionEvent {

    /** What happened. */
    public enum Kind {
        /** A connection was admitted and will be served. */
        OPENED,
        /** A connection ended (either side closed it, or a timeout or the shutdown did). */
        CLOSED,
        /** A connection was answered with 503 and closed at once: see {@link #refusal()}. */
        REFUSED,
        /**
         * A TLS handshake on the HTTPS listener ended: {@link #tls()} holds what it agreed on, or is empty
         * when it failed (not TLS, no shared protocol or cipher, too slow, the client gave up).
         */
        HANDSHAKE
    }

    /** Why a connection was refused. */
    public enum Refusal {
        /** {@code limits.max-connections} was reached. */
        SERVER_FULL,
        /** {@code limits.max-connections-per-client} was reached for this client address. */
        CLIENT_FULL
    }

    private final Kind kind;
    private final long id;
    private final InetSocketAddress client;
    private final InetSocketAddress local;
    private final Instant at;
    private final Duration open;
    private final int exchanges;
    private final Refusal refusal;
    private final TlsInfo tls;

    private ConnectionEvent(Builder b) {
        this.kind = Objects.requireNonNull(b.kind, "kind");
        this.id = b.id;
        this.client = Objects.requireNonNull(b.client, "client");
        this.local = b.local;
        this.at = b.at == null ? Instant.now() : b.at;
        this.open = b.open;
        this.exchanges = b.exchanges;
        this.refusal = b.refusal;
        this.tls = b.tls;
        if ((kind == Kind.REFUSED) != (refusal != null)) throw new IllegalArgumentException("a refusal, and only a refusal, has a reason");
    }

    /** A builder (the core builds every event an observer sees; tests build their own). */
    public static Builder builder(Kind kind, InetSocketAddress client) {
        return new Builder(kind, client);
    }

    /** What happened. */
    public Kind kind() {
        return kind;
    }

    /** A number for this connection, the same in its {@code OPENED} and {@code CLOSED} events (0 when refused). */
    public long id() {
        return id;
    }

    /** The peer's address (a proxy's, behind one: forwarded addresses belong to requests). */
    public InetSocketAddress client() {
        return client;
    }

    /** The local address the connection came to; empty when refused. */
    public Optional<InetSocketAddress> local() {
        return Optional.ofNullable(local);
    }

    /** When it happened. */
    public Instant at() {
        return at;
    }

    /** For {@code CLOSED}: how long the connection was open; otherwise zero. */
    public Duration open() {
        return open;
    }

    /** For {@code CLOSED}: how many exchanges the connection carried; otherwise 0. */
    public int exchanges() {
        return exchanges;
    }

    /** For {@code REFUSED}: why; otherwise empty. */
    public Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** For {@code HANDSHAKE}: the protocol and cipher agreed on; empty for a failed handshake and other kinds. */
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    @Override
    public String toString() {
        return kind + " #" + id + " " + client + (refusal == null ? "" : " " + refusal);
    }

    /** Builds a {@link ConnectionEvent}. Not thread-safe. */
    public static final class Builder {
        private final Kind kind;
        private final InetSocketAddress client;
        private long id;
        private InetSocketAddress local;
        private Instant at;
        private Duration open = Duration.ZERO;
        private int exchanges;
        private Refusal refusal;
        private TlsInfo tls;

        private Builder(Kind kind, InetSocketAddress client) {
            this.kind = kind;
            this.client = client;
        }

        /** The connection's number. */
        public Builder id(long id) {
            this.id = id;
            return this;
        }

        /** The local address. */
        public Builder local(InetSocketAddress local) {
            this.local = local;
            return this;
        }

        /** When (default: now). */
        public Builder at(Instant at) {
            this.at = at;
            return this;
        }

        /** How long it was open (for CLOSED). */
        public Builder open(Duration open) {
            this.open = Objects.requireNonNull(open);
            return this;
        }

        /** How many exchanges it carried (for CLOSED). */
        public Builder exchanges(int exchanges) {
            this.exchanges = exchanges;
            return this;
        }

        /** Why it was refused (for REFUSED). */
        public Builder refusal(Refusal refusal) {
            this.refusal = refusal;
            return this;
        }

        /** What a successful handshake agreed on (for HANDSHAKE). */
        public Builder tls(TlsInfo tls) {
            this.tls = tls;
            return this;
        }

        /** The event. */
        public ConnectionEvent build() {
            return new ConnectionEvent(this);
        }
    }
}
