package dev.porta.spi;

/**
 * Where the server is in its life, as {@link PluginContext#serverState()} tells it: for a health check
 * that should fail while the server drains, so that a load balancer stops sending it new clients. Later
 * 1.x versions may add states: treat one you do not know as not serving.
 */
public enum ServerState {
    /** The extensions are being started; no connection is accepted yet. */
    STARTING,
    /** Accepting and serving. */
    SERVING,
    /**
     * A graceful stop has begun: requests in flight finish, new clients should go elsewhere. For
     * {@code timeouts.drain} (0 by default) Porta still accepts and serves while in this state, so that a
     * health check can fail and a load balancer take the server out; then the listener closes and idle
     * connections are closed. A long-lived answer (server-sent events) should end itself when it does, or it is cut
     * off when {@code timeouts.grace} runs out.
     */
    DRAINING,
    /** Stopped: no request is served any more. */
    STOPPED
}
