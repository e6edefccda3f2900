package dev.porta.server.pipeline;

/**
 * The pipeline new exchanges run on, replaced as a whole when plugins or the config change: an exchange
 * takes the current one when it begins ({@link #enter}) and keeps it to its end ({@link Pipeline#leave}),
 * so that exchanges in flight finish on the chain they started with while new ones take the new chain.
 */
public final class ActivePipeline {

    private volatile Pipeline current;

    /** Starts with {@code first}. */
    public ActivePipeline(Pipeline first) {
        this.current = first;
    }

    /** The pipeline an exchange beginning now runs on; the caller must {@link Pipeline#leave} it at the end. */
    public Pipeline enter() {
        while (true) {
            Pipeline p = current;
            if (p.enter()) return p;
            // replaced between the read and the count: the new one is current by now
            Thread.onSpinWait();
        }
    }

    /** The current pipeline, for what belongs to no exchange (connection events, refusals, error pages). */
    public Pipeline current() {
        return current;
    }

    /**
     * Makes {@code next} the pipeline of new exchanges and retires the one it replaces, which is returned:
     * exchanges already on it finish there ({@link Pipeline#awaitIdle}).
     */
    public synchronized Pipeline replace(Pipeline next) {
        Pipeline old = current;
        current = next;
        old.retire();
        return old;
    }
}
