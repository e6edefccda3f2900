package dev.porta.plugins.status;

import dev.porta.spi.Body;
import dev.porta.spi.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The pages' HTML, CSS and JavaScript, read from the plugin jar once at start: nothing comes from a CDN,
 * so the pages work offline.
 */
final class StaticAssets {

    private static final Map<String, String> TYPES = Map.of("status", "text/html; charset=utf-8",
            "requests", "text/html; charset=utf-8", "status.css", "text/css; charset=utf-8",
            "status.js", "text/javascript; charset=utf-8");
    private static final Map<String, String> FILES = Map.of("status", "status.html", "requests", "requests.html",
            "status.css", "status.css", "status.js", "status.js");

    private final Map<String, byte[]> bodies;

    StaticAssets() {
        Map<String, byte[]> read = new java.util.HashMap<>();
        FILES.forEach((name, file) -> read.put(name, load(file)));
        bodies = Map.copyOf(read);
    }

    /** The asset called {@code name} under the prefix ({@code status}, {@code status.js}, ...), if any. */
    Optional<Response> get(String name) {
        byte[] body = bodies.get(name);
        if (body == null) return Optional.empty();
        return Optional.of(Response.of(200).withHeader("Content-Type", TYPES.get(name))
                .withHeader("Cache-Control", "no-cache").withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:")
                .withBody(Body.of(body)));
    }

    private static byte[] load(String file) {
        try (InputStream in = StaticAssets.class.getResourceAsStream("web/" + file)) {
            if (in == null) throw new IllegalStateException("the plugin jar lacks web/" + file);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
