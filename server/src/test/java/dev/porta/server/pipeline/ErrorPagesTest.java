package dev.porta.server.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.spi.Body;
import dev.porta.spi.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Error pages go to every client: they obey the rules of any file, links included. */
class ErrorPagesTest {

    @TempDir
    Path dir;

    static String body(Response r) {
        return new String(((Body.Bytes) r.body()).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aPageThatIsALinkOutOfTheSiteOrToANeverServedFileIsNotRead() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www")).toRealPath();
        Path secret = Files.writeString(dir.resolve("porta.properties"), "secret = yes");
        Path users = Files.writeString(root.resolve("users.htpasswd"), "alice:$2y$10$hash");
        Files.writeString(root.resolve("real.html"), "<p>lost</p>");
        Path page = root.resolve("err.html");
        Files.createSymbolicLink(page, secret);
        ErrorPages pages = new ErrorPages(root, Map.of(404, "err.html"), users::equals);
        assertFalse(body(pages.fill(Response.of(404))).contains("secret"), "a link out of the site");
        Files.delete(page);
        Files.createSymbolicLink(page, users);
        assertFalse(body(pages.fill(Response.of(404))).contains("$2y$"), "a link to a never-served file");
        Files.delete(page);
        Files.createSymbolicLink(page, root.resolve("real.html"));
        assertEquals("<p>lost</p>", body(pages.fill(Response.of(404))), "a link inside the site is fine");
        assertTrue(body(pages.fill(Response.of(500))).contains("500 Internal Server Error"));
    }
}
