package dev.porta.spi;

import java.io.IOException;
import org.pf4j.ExtensionPoint;

/**
 * A step of the request chain. Every request passes through the handlers in chain order; each one
 * either
 * <ul>
 *   <li>answers: returns its own {@link Response} and does not call {@code chain.next} — the handlers
 *       after it never see the request;</li>
 *   <li>passes on: returns {@code chain.next(request)}, possibly with a changed copy of the request;</li>
 *   <li>wraps: calls {@code chain.next}, then returns a changed copy of what came back.</li>
 * </ul>
 * {@link Response#notHandled()} comes back from {@code chain.next} when nobody after this handler took the
 * request.
 *
 * <p>Calls come on the connection's own virtual thread: blocking I/O is fine, and a handler must be safe to
 * call from many threads at once. An exception costs that request a 500 (logged with the plugin id); the
 * server goes on. The order of handlers is the {@code @Extension(ordinal = n)} of each (lower first), or
 * the {@code server.chain} setting.
 *
 * <p>A class may implement both {@code Handler} and {@link ExchangeObserver}: Porta then makes one
 * instance of it, which handles requests and observes exchanges, and is started and stopped once.
 *
 * <pre>{@code
 * @Extension(ordinal = 50)
 * public final class NoTrace implements Handler {
 *     public Response handle(Request request, Chain chain) throws IOException {
 *         return request.method().equals("TRACE") ? Response.of(405) : chain.next(request);
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Handler extends ExtensionPoint, Lifecycle {

    /**
     * Handles one request.
     *
     * @param request the request, with the path already decoded and normalised
     * @param chain   the handlers after this one
     * @return the response, never {@code null}
     * @throws IOException when reading the request or a resource failed (the core answers 500)
     */
    Response handle(Request request, Chain chain) throws IOException;
}
