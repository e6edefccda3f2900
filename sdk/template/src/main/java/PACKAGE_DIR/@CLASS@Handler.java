package @PACKAGE@;

import dev.porta.spi.Body;
import dev.porta.spi.Chain;
import dev.porta.spi.Handler;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import dev.porta.spi.Settings;
import java.io.IOException;
import org.pf4j.Extension;

/**
 * Answers {@code GET /@NAME@} with the greeting of the setting {@code @NAME@.greeting}; passes every other
 * request on. Ordinal 500: after access control (100), before the site's files (static-index, 1000).
 */
@Extension(ordinal = 500)
public final class @CLASS@Handler implements Handler {

    private String greeting;

    /** Validates the settings without side effects: Porta runs this before any plugin starts. */
    @Override
    public void check(PluginContext context) {
        greeting(context.settings());
    }

    @Override
    public void start(PluginContext context) {
        greeting = greeting(context.settings());
        context.logger().info("greets with '{}' on /@NAME@", greeting);
    }

    private static String greeting(Settings settings) {
        String value = settings.get("greeting", "Hello from @NAME@");
        if (value.isBlank()) throw settings.invalid("greeting", "may not be blank");
        return value;
    }

    @Override
    public Response handle(Request request, Chain chain) throws IOException {
        if (!request.path().equals("/@NAME@")) return chain.next(request);
        return Response.of(200)
                .withHeader("Content-Type", "text/plain; charset=utf-8")
                .withBody(Body.of(greeting + "\n"));
    }
}
