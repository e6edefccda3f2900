package dev.porta.server.deploy.sample;

import dev.porta.spi.Chain;
import dev.porta.spi.Handler;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import java.io.IOException;
import org.pf4j.Extension;

/** A hot-deploy test plugin whose {@code start} always fails. */
@Extension(ordinal = 60)
public final class FailsToStart implements Handler {

    @Override
    public void start(PluginContext context) {
        throw new IllegalStateException("this plugin never starts");
    }

    @Override
    public Response handle(Request request, Chain chain) throws IOException {
        return Response.of(200);
    }
}
