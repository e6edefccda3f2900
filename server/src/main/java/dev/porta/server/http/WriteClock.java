package dev.porta.server.http;

/**
 * Told when a write to the client starts and ends, so that a watchdog can cut off a client that stopped
 * reading (socket timeouts cover reads only).
 */
public interface WriteClock {

    /** A blocking write begins. */
    void writeStarted();

    /** It ended (normally or not). */
    void writeEnded();
}
