package dev.porta.server.plugin.sample;

import dev.porta.spi.Body;
import dev.porta.spi.Chain;
import dev.porta.spi.Handler;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import java.io.IOException;
import org.pf4j.Extension;

/** A test plugin's handler whose one setting, {@code greeting}, may not be blank; {@code check} says so. */
@Extension
public final class CheckedGreeting implements Handler {

    private String greeting;

    @Override
    public void check(PluginContext context) {
        greeting(context);
    }

    @Override
    public void start(PluginContext context) {
        greeting = greeting(context);
        context.logger().info("greets with '{}'", greeting);
    }

    private static String greeting(PluginContext context) {
        String value = context.settings().get("greeting", "hello");
        if (value.isBlank()) throw context.settings().invalid("greeting", "may not be blank");
        return value;
    }

    @Override
    public Response handle(Request request, Chain chain) throws IOException {
        return request.path().equals("/greeting") ? Response.of(200).withBody(Body.of(greeting)) : chain.next(request);
    }
}
