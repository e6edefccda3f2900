package dev.porta.server.deploy.sample;

import dev.porta.spi.Body;
import dev.porta.spi.Chain;
import dev.porta.spi.Handler;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.pf4j.Extension;

/**
 * A hot-deploy test plugin: {@code GET /v/ID} answers {@code ID VERSION NOTE}, the version read from
 * {@code version.txt} in its own jar (so each jar generation answers with its own), the note from its one
 * setting {@code note}. {@code fail = yes} makes it refuse to start; {@code slow = N} makes each answer
 * take N milliseconds.
 */
@Extension(ordinal = 50)
public final class VersionHandler implements Handler {

    private String prefix;
    private String answer;
    private long slowMillis;

    @Override
    public void check(PluginContext context) {
        read(context);
    }

    @Override
    public void start(PluginContext context) {
        read(context);
        if (context.settings().getBoolean("fail", false)) throw new IllegalStateException("told to fail");
        prefix = "/v/" + context.pluginId();
        String version;
        try (InputStream in = VersionHandler.class.getResourceAsStream("version.txt")) {
            version = in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        answer = context.pluginId() + " " + version + " " + context.settings().get("note", "-");
        slowMillis = context.settings().getInt("slow", 0);
    }

    private static void read(PluginContext context) {
        context.settings().get("note", "-");
        context.settings().getBoolean("fail", false);
        context.settings().getInt("slow", 0);
    }

    @Override
    public Response handle(Request request, Chain chain) throws IOException {
        if (!request.path().equals(prefix)) return chain.next(request);
        if (slowMillis > 0) {
            try {
                Thread.sleep(slowMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Response.of(200).withBody(Body.of(answer));
    }
}
