package dev.porta.server.connection;

import dev.porta.server.http.ResponseWriter;
import dev.porta.server.pipeline.Pipeline;
import dev.porta.spi.Attributes;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.Headers;
import dev.porta.spi.Request;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What is known of one exchange while it runs, so that the observers hear of it exactly once however it
 * ends: whole, or cut short by a client that went away, a write timeout or the end of the grace time
 * (then with what had been sent). The connection reports it from a {@code finally}.
 */
final class ExchangeRecord {

    private final Instant started = Instant.now();
    private final long startNanos = System.nanoTime();
    private final Attributes attributes = new Attributes();
    private final InetSocketAddress peer;
    // volatile: at shutdown the server may report an exchange whose thread is stuck in a plugin
    private volatile Request request;
    private volatile String requestLine = "";
    private volatile int status;
    private volatile boolean writing;
    private volatile String answeredBy;
    private final java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();

    ExchangeRecord(InetSocketAddress peer) {
        this.peer = peer;
    }

    long startNanos() {
        return startNanos;
    }

    Attributes attributes() {
        return attributes;
    }

    void request(Request request) {
        this.request = request;
    }

    Optional<Request> request() {
        return Optional.ofNullable(request);
    }

    void requestLine(String line) {
        this.requestLine = line;
    }

    /** The plugin that answered (null: the core, or nobody). */
    void answeredBy(String pluginId) {
        this.answeredBy = pluginId;
    }

    /** A response with {@code status} is about to be written. */
    void writing(int status) {
        this.status = status;
        this.writing = true;
    }

    /** Tells the observers that the response went out whole, as {@code sent} says. */
    void completed(Pipeline pipeline, ResponseWriter.Sent sent) {
        report(pipeline, sent, false);
    }

    /**
     * Tells the observers, unless it was done: the exchange ended without its response going out whole,
     * with what {@code writer} had sent of it.
     */
    void cutShortUnlessReported(Pipeline pipeline, ResponseWriter writer) {
        if (!reported.get()) report(pipeline, writing ? writer.sentSoFar() : null, true);
    }

    private void report(Pipeline pipeline, ResponseWriter.Sent sent, boolean cutShort) {
        if (!reported.compareAndSet(false, true)) return; // exactly once, whichever thread comes first
        if (!pipeline.isObserved()) return;
        Headers headers = sent == null ? Headers.of() : sent.headers();
        // no response begun: the request was cut off while it arrived (400), or the core failed (500)
        int status = writing ? this.status : request == null ? 400 : 500;
        long bodyBytes = sent == null ? 0 : sent.bodyBytes();
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        InetSocketAddress client = request == null ? peer : request.client();
        pipeline.completed(CompletedExchange.builder().request(request).requestLine(requestLine).client(client)
                .status(status).responseHeaders(headers).bodyBytes(bodyBytes).started(started).duration(duration)
                .attributes(attributes).cutShort(cutShort).answeredBy(answeredBy).build());
    }
}
