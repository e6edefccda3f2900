package dev.porta.server.pipeline;

import dev.porta.server.http.HttpException;
import dev.porta.server.http.ListField;
import dev.porta.spi.Body;
import dev.porta.spi.Chain;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ConnectionEvent;
import dev.porta.spi.ConnectionObserver;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import dev.porta.spi.Headers;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicInteger;
import org.tinylog.Logger;

/**
 * The handler chain and the observers, as one immutable snapshot: every request runs through the
 * handlers in order; every finished exchange is shown to the observers. A handler that throws, or answers
 * with a header that cannot be sent, costs that request a 500 and is logged with its plugin id.
 */
public final class Pipeline {

    /**
     * A handler and the plugin it came from.
     *
     * @param pluginId the plugin id, for logs
     * @param handler  the handler
     */
    public record Step(String pluginId, Handler handler) {
    }

    /**
     * An observer and the plugin it came from.
     *
     * @param pluginId the plugin id, for logs
     * @param observer the observer
     */
    public record Watcher(String pluginId, ExchangeObserver observer) {
    }

    /**
     * A connection observer and the plugin it came from.
     *
     * @param pluginId the plugin id, for logs
     * @param observer the observer
     */
    public record ConnectionWatcher(String pluginId, ConnectionObserver observer) {
    }

    private final List<Step> steps;
    private final List<Watcher> watchers;
    private final List<ConnectionWatcher> connectionWatchers;
    private final ErrorPages errorPages;
    private final Predicate<Path> neverServed;
    private final AtomicInteger lateExchanges = new AtomicInteger();
    private volatile boolean closed;
    /** Exchanges running on this pipeline now, for a replaced one to be closed after its last. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Set when another pipeline replaced this one: no exchange may begin here any more. */
    private volatile boolean retired;

    /** A pipeline of {@code steps} in order, then {@code watchers}; error bodies from {@code errorPages}. */
    public Pipeline(List<Step> steps, List<Watcher> watchers, ErrorPages errorPages) {
        this(steps, watchers, List.of(), errorPages);
    }

    /** The same, with observers of connections. */
    public Pipeline(List<Step> steps, List<Watcher> watchers, List<ConnectionWatcher> connectionWatchers, ErrorPages errorPages) {
        this(steps, watchers, connectionWatchers, errorPages, real -> false);
    }

    /**
     * The same, refusing to send a file region whose real path {@code neverServed} accepts (the config,
     * users files, keys, the server's own folders), whichever plugin returned it.
     */
    public Pipeline(List<Step> steps, List<Watcher> watchers, List<ConnectionWatcher> connectionWatchers, ErrorPages errorPages,
                    Predicate<Path> neverServed) {
        this.steps = List.copyOf(steps);
        this.watchers = List.copyOf(watchers);
        this.connectionWatchers = List.copyOf(connectionWatchers);
        this.errorPages = errorPages;
        this.neverServed = neverServed;
    }

    /** The handler steps, in order. */
    public List<Step> steps() {
        return steps;
    }

    /**
     * What the chain answered, and which plugin answered it: the one whose handler returned this response,
     * or the last that changed it on its way back (null when no handler took the request).
     *
     * @param response   the response, with its error page
     * @param answeredBy the plugin id, or null
     */
    public record Answer(Response response, String answeredBy) {
    }

    /**
     * Runs {@code request} through the chain and gives an error response its page.
     *
     * @throws HttpException only when reading the request body failed (bad framing, too large, too slow)
     */
    public Answer handle(Request request) {
        Link first = new Link(0, new Answerer());
        Response response = first.next(request);
        String answeredBy = first.answerer.pluginId;
        Path file = response.body() instanceof Body.FileRegion region ? region.file()
                : response.body() instanceof Body.OpenFile open ? open.file() : null;
        if (file != null && isNeverServed(file)) {
            Logger.error("Plugin {} answered {} {} with {}, a file that is never served: refused with 404",
                    answeredBy, request.method(), request.path(), file);
            if (response.body() instanceof Body.OpenFile open) {
                try {
                    open.channel().close();
                } catch (java.io.IOException ignored) {
                    // refused anyway
                }
            }
            response = Response.of(404);
        }
        return new Answer(errorPages.fill(response), answeredBy);
    }

    /** One real-path lookup per file-region response: such responses carry large files, so it costs little. */
    private boolean isNeverServed(Path file) {
        try {
            return neverServed.test(file.toRealPath());
        } catch (IOException e) {
            return false; // a missing file is not sent anyway: the writer fails on it
        }
    }

    /** The response the link below last returned, and which plugin answered it; one per request. */
    private static final class Answerer {
        private Response response;
        private String pluginId;
    }

    /** A response of the core's own, such as the 400 for a malformed request, with its error page. */
    public Response errorResponse(int status) {
        return errorPages.fill(Response.of(status));
    }

    /** Whether anyone observes exchanges (if not, the core need not describe them). */
    public boolean isObserved() {
        return !watchers.isEmpty();
    }

    /**
     * Shows a finished exchange to every observer. Whatever an observer throws, short of a
     * {@link VirtualMachineError}, is logged and ignored, so that it never ends the calling thread. After
     * {@link #close()} nothing is shown: the observers may have been stopped.
     */
    public void completed(CompletedExchange exchange) {
        if (closed) {
            int n = lateExchanges.incrementAndGet();
            if (n == 1) Logger.warn("An exchange ended after the observers were stopped and was not reported");
            return;
        }
        for (Watcher w : watchers) guarded(w.pluginId(), () -> w.observer().completed(exchange));
    }

    /** Runs plugin code so that nothing it throws, short of a VirtualMachineError, reaches the caller. */
    private static void guarded(String pluginId, Runnable call) {
        try {
            call.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            Logger.error(e, "Observer of plugin {} failed", pluginId);
        }
    }

    /** Whether anyone observes connections. */
    public boolean isConnectionObserved() {
        return !connectionWatchers.isEmpty();
    }

    /** Shows a connection event to every connection observer, guarded as {@link #completed} is. */
    public void connection(ConnectionEvent event) {
        if (closed) return;
        for (ConnectionWatcher w : connectionWatchers) guarded(w.pluginId(), () -> w.observer().connection(event));
    }

    /**
     * Begins an exchange on this pipeline; false when it was replaced (the caller then takes the new one).
     * The count goes up before {@code retired} is read, and {@link #retire} sets it before reading the
     * count, so that of an exchange that begins and a retirement at the same moment one sees the other.
     */
    boolean enter() {
        inFlight.incrementAndGet();
        if (!retired) return true;
        leave();
        return false;
    }

    /** Ends an exchange begun with {@link #enter}. */
    public void leave() {
        inFlight.decrementAndGet();
    }

    /** No exchange begins here from now on (another pipeline replaced this one). */
    void retire() {
        retired = true;
    }

    /** The exchanges that began here and have not ended. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * After {@link ActivePipeline#replace}: waits until the last exchange begun here has ended, at most
     * {@code timeoutNanos}; whether it did.
     */
    public boolean awaitIdle(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (inFlight.get() > 0) {
            if (System.nanoTime() - deadline >= 0) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /** From now on exchanges are no longer shown to the observers (they are about to be stopped). */
    public void close() {
        closed = true;
    }

    /** The chain from position {@code index} on. */
    private final class Link implements Chain {
        private final int index;
        private final Answerer answerer;

        Link(int index, Answerer answerer) {
            this.index = index;
            this.answerer = answerer;
        }

        @Override
        public Response next(Request request) {
            Response response = answer(request);
            answerer.response = response;
            return response;
        }

        private Response answer(Request request) {
            if (index >= steps.size()) return Response.notHandled();
            Step step = steps.get(index);
            answerer.response = null; // set again if the handler calls the chain below
            Response response;
            try {
                response = step.handler().handle(request, new Link(index + 1, answerer));
            } catch (HttpException e) {
                throw e;
            } catch (OutOfMemoryError | InternalError | UnknownError e) {
                throw e; // the JVM is failing, not the plugin (a StackOverflowError is the plugin's: caught)
            } catch (Throwable e) {
                Logger.error(e, "Handler of plugin {} failed on {} {}", step.pluginId(), request.method(), request.path());
                return Response.of(500);
            }
            if (response == null) {
                Logger.error("Handler of plugin {} returned no response for {} {}", step.pluginId(), request.method(), request.path());
                return Response.of(500);
            }
            String problem = response.status() < 200
                    ? "status " + response.status() + " (a 1xx is not a final answer: the core alone sends 100 Continue)"
                    : headerProblem(response);
            if (problem != null) {
                Logger.error("Handler of plugin {} answered {} {} with a header that cannot be sent: {}",
                        step.pluginId(), request.method(), request.path(), problem);
                return Response.of(500);
            }
            // a response handed up unchanged keeps the plugin below as its author; a new or changed one is this plugin's
            if (response != answerer.response) answerer.pluginId = response.handled() ? step.pluginId() : null;
            return response;
        }
    }

    /** Why a response's headers cannot go on the wire (response splitting, bad names), or null. */
    static String headerProblem(Response response) {
        Headers headers = response.headers();
        for (int i = 0, n = headers.size(); i < n; i++) {
            String name = headers.name(i);
            if (name.isEmpty()) return "empty name";
            for (int k = 0; k < name.length(); k++) {
                char c = name.charAt(k);
                if (!ListField.isTchar(c)) return "bad name '" + name + "'";
            }
            String value = headers.value(i);
            for (int k = 0; k < value.length(); k++) {
                char c = value.charAt(k);
                if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) return "bad character in the value of " + name;
            }
        }
        return null;
    }
}
