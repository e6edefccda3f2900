package dev.porta.spi;

import java.io.IOException;

/**
 * The rest of the handler chain, as a {@link Handler} sees it.
 *
 * <p>{@link #next(Request)} runs the following handlers on the same thread and returns what they
 * answered. When no handler after this one answers, it returns {@link Response#notHandled()}.
 */
@FunctionalInterface
public interface Chain {

    /**
     * Passes {@code request} (the one received, or a changed copy) to the next handler.
     *
     * @return the response of the rest of the chain, never {@code null}
     * @throws IOException when a later handler failed with one; let it propagate (the core answers 500)
     */
    Response next(Request request) throws IOException;
}
