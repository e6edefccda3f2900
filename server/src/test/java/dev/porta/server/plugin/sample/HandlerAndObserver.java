package dev.porta.server.plugin.sample;

import dev.porta.spi.Body;
import dev.porta.spi.Chain;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.Extension;

/**
 * A test plugin's extension that is both a handler and an observer: {@code /counts} answers how many
 * instances of it exist, how often this one was started, and how many exchanges this one observed.
 */
@Extension
public final class HandlerAndObserver implements Handler, ExchangeObserver {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger observed = new AtomicInteger();

    public HandlerAndObserver() {
        INSTANCES.incrementAndGet();
    }

    @Override
    public void start(PluginContext context) {
        starts.incrementAndGet();
    }

    @Override
    public Response handle(Request request, Chain chain) throws IOException {
        if (!request.path().equals("/counts")) return chain.next(request);
        return Response.of(200).withBody(Body.of("instances=" + INSTANCES.get() + " starts=" + starts.get() + " observed=" + observed.get()));
    }

    @Override
    public void completed(CompletedExchange exchange) {
        observed.incrementAndGet();
    }
}
