package dev.porta.plugins.fastcgi;

import dev.porta.spi.Body;
import dev.porta.spi.Chain;
import dev.porta.spi.Handler;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;
import org.tinylog.TaggedLogger;

/**
 * Runs scripts through a FastCGI application, PHP-FPM in practice, as nginx's {@code fastcgi_pass} does:
 * a request whose path names a script under the site folder (or a folder with {@code index.php}, or any
 * missing path when a front controller is set) is sent to PHP-FPM with its CGI variables and its body,
 * and PHP's answer is streamed back. Anything else goes down the chain.
 *
 * <p>Ordinal 1100: after static-index (1000), which serves files and passes scripts on (its folder index
 * tries {@code index.html}, then {@code index.php}, and passes the latter on as {@code /folder/index.php}),
 * and after access-control (100), so that an area's rules hold before any script runs. Failures answer
 * with an empty error status, which the core fills with the site's error page: 502 when PHP-FPM is not
 * there or breaks the protocol, 503 when every pooled connection stays busy for the connect timeout, 504
 * when PHP-FPM is too slow.
 */
@Extension(ordinal = 1100)
public final class FastCgi implements Handler {

    /** An answer up to this size that has arrived whole is sent from memory. */
    private static final int SMALL_ANSWER = 64 * 1024;
    /** Failures to reach PHP-FPM are logged at most once per this many seconds (with a count of the rest). */
    private static final int FAILURE_LOG_SECONDS = 10;
    private final FailureLog failures = new FailureLog(TimeUnit.SECONDS.toNanos(FAILURE_LOG_SECONDS));
    /** Request bodies up to this size wait in memory for their connection, larger ones in a file (nginx: 16 KiB). */
    private static final int BODY_IN_MEMORY = 16 * 1024;
    /**
     * A script is looked up again once a PHP-FPM connection is held only when this much time has passed since
     * it was first looked up (a wait for a connection, a body read first): within it, the check would cost a
     * system call per request to close a window that FastCGI leaves open anyway, and wider (PHP-FPM opens
     * {@code SCRIPT_FILENAME} itself, after the request arrives; see the README on {@code open_basedir}).
     */
    private static final long LOOK_AGAIN_AFTER_NANOS = 1_000_000;

    private TaggedLogger log;
    private FastCgiSettings settings;
    private ScriptResolver scripts;
    private CgiEnvironment environment;
    private Watchdog watchdog;
    private ConnectionPool pool;
    private FastCgiClient client;
    private PluginContext context;

    /** Reads and checks the settings; connects to nothing. Without any {@code fastcgi.*} setting there is nothing to check. */
    @Override
    public void check(PluginContext context) {
        if (isConfigured(context)) FastCgiSettings.read(context.settings());
    }

    /**
     * Whether the config has any {@code fastcgi.*} setting. Without one the plugin stays idle and passes
     * every request on (the bundled jar is in {@code plugins/} for everyone, PHP or not: static-index then
     * answers 403 for scripts); with some but no {@code fastcgi.address}, start-up stops.
     */
    private static boolean isConfigured(PluginContext context) {
        return !context.settings().keys().isEmpty();
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
        this.log = context.logger();
        if (!isConfigured(context)) {
            log.info("no fastcgi.address set: scripts are not run (set it to PHP-FPM's listen address to run them)");
            return;
        }
        this.settings = FastCgiSettings.read(context.settings());
        this.scripts = new ScriptResolver(context.documentRoot(), settings, context);
        this.environment = new CgiEnvironment(context.documentRoot(), settings);
        this.watchdog = new Watchdog();
        this.pool = new ConnectionPool(settings.address(), settings.maxConnections(), settings.connectTimeout(),
                settings.answerTimeout(), settings.idleTimeout(), watchdog);
        this.client = new FastCgiClient(pool);
        log.info("runs *.{} under {} through {} (up to {} connections{})", String.join(", *.", settings.extensions()),
                context.documentRoot(), settings.addressText(), settings.maxConnections(),
                settings.frontController().map(f -> "; front controller " + f).orElse(""));
    }

    @Override
    public void stop() {
        if (pool != null) pool.close();
        if (watchdog != null) watchdog.close();
    }

    @Override
    public Response handle(Request request, Chain chain) throws IOException {
        if (scripts == null) return chain.next(request); // not configured: idle
        Optional<ScriptResolver.Script> script = scripts.resolve(request.path());
        if (script.isEmpty()) return chain.next(request);
        return run(request, script.get(), System.nanoTime());
    }

    private Response run(Request request, ScriptResolver.Script script, long resolvedAt) throws IOException {
        Path spooled = null;
        try {
            long length = declaredLength(request);
            InputStream body = request.body();
            // The whole body is read before a PHP-FPM connection is taken, as nginx's fastcgi_request_buffering
            // does: a client trickling its body would otherwise hold a connection (and a PHP worker) for as long
            // as it likes, and a few such clients would starve every script. Small bodies in memory, the rest
            // (and every chunked body, whose length PHP needs in CONTENT_LENGTH) in a file of the plugin's folder.
            if (length >= 0 && length <= BODY_IN_MEMORY) {
                body = new ByteArrayInputStream(length == 0 ? new byte[0] : body.readNBytes((int) length));
            } else {
                spooled = spool(body);
                length = Files.size(spooled);
                body = Files.newInputStream(spooled);
            }
            try (InputStream closeAfter = spooled == null ? null : body) {
                FastCgiClient.Answer answer = client.send(environment.build(request, script, length), body, length,
                        line -> log.warn("{}: {}", script.name(), line), () -> stillRuns(request, script, resolvedAt));
                return respond(answer, request.isHead(), context.dataDirectory());
            }
        } catch (FastCgiClient.ScriptChanged e) {
            log.warn("{} {}: not run: {}", request.method(), script.name(), e.getMessage());
            return Response.of(404);
        } catch (UpstreamException e) {
            int leftOut = failures.admit(System.nanoTime());
            if (leftOut >= 0) {
                log.error("{} {}: {} ({}): {}{}", request.method(), script.name(), e.status(), settings.addressText(), e.getMessage(),
                        leftOut == 0 ? "" : " (and " + leftOut + " more failures since the last line, not logged)");
            }
            return Response.of(e.status());
        } finally {
            if (spooled != null) Files.deleteIfExists(spooled);
        }
    }

    /**
     * Whether {@code request} still runs the same script file, asked once a connection is held: looked up
     * again only when {@link #LOOK_AGAIN_AFTER_NANOS} passed since {@code resolvedAt}.
     */
    private boolean stillRuns(Request request, ScriptResolver.Script script, long resolvedAt) {
        if (System.nanoTime() - resolvedAt < LOOK_AGAIN_AFTER_NANOS) return true;
        return scripts.resolve(request.path()).map(again -> again.file().equals(script.file())).orElse(false);
    }

    /**
     * The answer as a response. A small answer that has arrived whole goes out as bytes with a length (one
     * write to the client, and the connection is back in the pool before it); an empty one as no body, so
     * that a bare error status gets the site's error page. Anything else is taken from PHP-FPM as fast as PHP
     * writes it ({@link AnswerSpool}: memory, then a file) and sent as the client takes it: the connection is
     * back in the pool as soon as PHP has finished. The core closes a stream body in every case (sent, HEAD,
     * client gone), which aborts the request if PHP has not finished.
     */
    private static Response respond(FastCgiClient.Answer answer, boolean headRequest, Path spoolFolder) throws IOException {
        ResponseParser.Head head = answer.head();
        AnswerStream stream = answer.body();
        byte[] arrived = null;
        try {
            stream.hasMore(); // waits for the first body bytes or the end
            arrived = stream.readArrived(SMALL_ANSWER);
        } catch (IOException e) {
            throw new UpstreamException(stream.expired() ? 504 : 502, "answer broken after its header: " + e, e);
        } finally {
            if (arrived == null) stream.fail();
        }
        if (stream.ended()) {
            if (headRequest && arrived.length == 0 && head.status() < 400) {
                // PHP answers HEAD without a body: the client is told GET's length when PHP gave it, else none
                // (RFC 9110 §9.3.2), not 0; an error status keeps the empty body that gets the site's error page
                return Response.of(head.status(), head.headers(), new Body.Stream(InputStream.nullInputStream(), head.contentLength()));
            }
            return Response.of(head.status(), head.headers(), arrived.length == 0 ? Body.empty() : Body.of(arrived));
        }
        // the rest is taken from PHP-FPM as fast as it comes, so that a slow client holds no PHP worker
        InputStream rest = new AnswerSpool(stream, spoolFolder);
        InputStream body = arrived.length == 0 ? rest : new SequenceInputStream(new ByteArrayInputStream(arrived), rest);
        return Response.of(head.status(), head.headers(), new Body.Stream(body, head.contentLength()));
    }

    /** The body length from Content-Length, 0 without a body, -1 when chunked. */
    private static long declaredLength(Request request) {
        if (request.headers().contains("Transfer-Encoding")) return -1;
        return request.header("Content-Length").map(Long::parseLong).orElse(0L); // the core checked it
    }

    private Path spool(InputStream body) throws IOException {
        Path file;
        try {
            file = Files.createTempFile(context.dataDirectory(), "body-", ".tmp");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        try {
            Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
