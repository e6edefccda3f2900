package dev.porta.server.pipeline;

import dev.porta.server.http.Status;
import dev.porta.spi.Body;
import dev.porta.spi.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.tinylog.Logger;

/**
 * Gives every error response without a body a page: the file the config maps its status to (under the
 * site root, e.g. {@code errors.404 = 404.html}), or a short built-in page.
 */
public final class ErrorPages {

    private static final long MAX_PAGE_BYTES = 1 << 20;

    private final Path root;
    private final Map<Integer, String> pages;
    private final Predicate<Path> neverServed;
    /** Page bytes by status, with the file version they were read at: a 404 flood does not re-read the file. */
    private final Map<Integer, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

    private record Cached(Object version, byte[] bytes) {
    }

    /** Pages for {@code pages} (status → path under {@code root}). */
    public ErrorPages(Path root, Map<Integer, String> pages) {
        this(root, pages, real -> false);
    }

    /**
     * The same, never reading a page whose real path leaves {@code root} (a link to the config, say) or
     * that {@code neverServed} names: an error page goes to every client, so it obeys the rules of any file.
     */
    public ErrorPages(Path root, Map<Integer, String> pages, Predicate<Path> neverServed) {
        this.root = root;
        this.pages = Map.copyOf(pages);
        this.neverServed = neverServed;
    }

    /** {@code response} itself, or, if it is an error without a body, a copy with the page as body. */
    public Response fill(Response response) {
        int status = response.status();
        if (status < 400 || response.body().length() != 0) return response;
        return response.withOnlyHeader("Content-Type", "text/html; charset=utf-8").withBody(Body.of(page(status)));
    }

    private byte[] page(int status) {
        String configured = pages.get(status);
        if (configured != null) {
            Path file = root.resolve(configured).normalize();
            try {
                if (file.startsWith(root)) {
                    var attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
                    if (attrs.isRegularFile() && attrs.size() <= MAX_PAGE_BYTES) {
                        Object version = java.util.List.of(attrs.lastModifiedTime(), attrs.size(), String.valueOf(attrs.fileKey()));
                        Cached c = cache.get(status);
                        if (c == null || !c.version.equals(version)) {
                            Path real = file.toRealPath(); // on each new version: a link may have been pointed elsewhere
                            if (!real.startsWith(root) || neverServed.test(real)) {
                                Logger.warn("Error page {} for status {} leads to {}, which is never served: the built-in page is used",
                                        file, status, real);
                                return builtIn(status);
                            }
                            c = new Cached(version, Files.readAllBytes(real));
                            cache.put(status, c);
                        }
                        return c.bytes;
                    }
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // no page file: the built-in page
            } catch (IOException e) {
                Logger.warn("Error page {} for status {} cannot be read: {}", file, status, e.getMessage());
            }
        }
        return builtIn(status);
    }

    private static byte[] builtIn(int status) {
        String title = status + " " + Status.reason(status);
        return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n"
                + "<body><h1>" + title + "</h1><hr><p>Porta</p></body></html>\n").getBytes(StandardCharsets.UTF_8);
    }
}
