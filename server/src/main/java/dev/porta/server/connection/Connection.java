package dev.porta.server.connection;

import dev.porta.server.config.ServerConfig;
import dev.porta.server.http.ChunkedBody;
import dev.porta.server.http.FixedLengthBody;
import dev.porta.server.http.HttpDate;
import dev.porta.server.http.HttpException;
import dev.porta.server.http.HttpInput;
import dev.porta.server.http.RequestBody;
import dev.porta.server.http.RequestHead;
import dev.porta.server.http.RequestHeadParser;
import dev.porta.server.http.RequestTarget;
import dev.porta.server.http.ResponseWriter;
import dev.porta.server.http.TimedOutputStream;
import dev.porta.server.http.WriteClock;
import dev.porta.server.pipeline.Pipeline;
import dev.porta.spi.Attributes;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.Headers;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * One client connection, run on its own virtual thread as a plain blocking loop: wait for a request,
 * parse its head, run it through the pipeline, write the response, drain what is left of the body, tell
 * the observers, and go again while the connection is persistent (RFC 9112 §9). A request the core
 * refuses gets its status, then the connection is closed.
 */
public final class Connection implements Runnable, WriteClock, HttpInput.ReadClock {

    private final SocketChannel channel;
    private final InetSocketAddress peer;
    private final ServerConfig config;
    private final Pipeline pipeline;
    private final ConnectionRegistry registry;
    private final HttpDate date;

    private volatile boolean idle = true;
    private volatile long writeStartedNanos;
    private volatile long readDeadlineNanos;
    private volatile boolean readExpired;
    private InetSocketAddress local;
    private HttpInput in;
    private ResponseWriter writer;

    /** A connection on {@code channel} from {@code peer}, admitted by {@code registry}. */
    public Connection(SocketChannel channel, InetSocketAddress peer, ServerConfig config, Pipeline pipeline,
                      ConnectionRegistry registry, HttpDate date) {
        this.channel = channel;
        this.peer = peer;
        this.config = config;
        this.pipeline = pipeline;
        this.registry = registry;
        this.date = date;
        registry.add(this);
    }

    /** The peer's address (not a forwarded one). */
    InetSocketAddress peer() {
        return peer;
    }

    @Override
    public void run() {
        try {
            Socket socket = channel.socket();
            socket.setTcpNoDelay(true);
            local = (InetSocketAddress) channel.getLocalAddress();
            in = new HttpInput(socket.getInputStream(), this);
            writer = new ResponseWriter(new TimedOutputStream(socket.getOutputStream(), this), channel, this, date);
            RequestHeadParser parser = new RequestHeadParser(config.limits());
            int served = 0;
            boolean keepAlive = true;
            while (keepAlive) {
                idle = true;
                if (registry.stopping() && !in.hasBuffered()) break;
                Duration wait = served == 0 ? config.timeouts().header() : config.timeouts().idle();
                if (!in.awaitData(millis(wait))) break;
                idle = false;
                keepAlive = exchange(parser, ++served);
                in.shrink();
            }
        } catch (IOException | UncheckedIOException e) {
            Logger.debug("Connection from {} ended: {}", peer, e.getMessage());
        } catch (RuntimeException | Error e) {
            Logger.error(e, "Connection from {} failed", peer);
        } finally {
            close();
            registry.remove(this);
        }
    }

    /** Serves one request; returns whether the connection stays open. */
    private boolean exchange(RequestHeadParser parser, int served) throws IOException {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        Attributes attributes = new Attributes();
        in.deadline(startNanos + config.timeouts().header().toNanos(), 408);

        Request request = null;
        RequestBody body = RequestBody.EMPTY;
        boolean expectContinue = false;
        Response response;
        try {
            RequestHead head = parser.read(in);
            if (head == null) return false;
            if (head.target().equals("*") && head.method().equals("OPTIONS")) {
                response = Response.of(200).withHeader("Allow", "GET, HEAD, OPTIONS, POST");
                in.timeout(millis(config.timeouts().body()), 408);
                request = toRequest(head, new RequestTarget("*", ""), RequestBody.EMPTY, attributes);
            } else {
                RequestTarget target = RequestTarget.parse(head.target());
                checkHost(head);
                body = bodyOf(head);
                expectContinue = expectsContinue(head, body);
                in.timeout(millis(config.timeouts().body()), 408);
                RequestBody handed = expectContinue ? new ContinueBody(body) : body;
                request = toRequest(head, target, handed, attributes);
                response = pipeline.handle(request);
            }
        } catch (HttpException e) {
            refuse(e, parser.requestLine(), Optional.ofNullable(request), started, startNanos, attributes);
            return false;
        }

        boolean keepAlive = wantsKeepAlive(request, served);
        if (expectContinue && !((ContinueBody) request.body()).sent) {
            keepAlive = false; // the client may still send the body we did not ask for: do not read it as a request
        }
        ResponseWriter.Sent sent = writer.write(response, request.isHead(), keepAlive, request.version().equals("HTTP/1.0"));
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        keepAlive &= !sent.mustClose();
        if (keepAlive) {
            try {
                body.drain();
            } catch (HttpException | IOException e) {
                keepAlive = false;
            }
        }
        if (pipeline.isObserved()) {
            pipeline.completed(new CompletedExchange(Optional.of(request), parser.requestLine(), request.client(),
                    response.status(), sent.headers(), sent.bodyBytes(), started, duration, attributes));
        }
        return keepAlive;
    }

    private Request toRequest(RequestHead head, RequestTarget target, RequestBody body, Attributes attributes) {
        InetSocketAddress client = ClientAddress.resolve(peer, head.headers(), config.trustedProxies());
        return new Request(head.method(), head.target(), target.path(), target.query(), head.version(),
                head.headers(), client, local, body, attributes);
    }

    /** Answers a refused request with its status and closes the connection. */
    private void refuse(HttpException e, String requestLine, Optional<Request> request, Instant started,
                        long startNanos, Attributes attributes) throws IOException {
        Logger.debug("Refused {} from {}: {} ({})", e.status(), peer, e.publicMessage(), e.getMessage());
        Response response = pipeline.errorResponse(e.status());
        boolean head = request.map(Request::isHead).orElse(false);
        ResponseWriter.Sent sent = writer.write(response, head, false, false);
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        pipeline.completed(new CompletedExchange(request, requestLine, request.map(Request::client).orElse(peer),
                e.status(), sent.headers(), sent.bodyBytes(), started, duration, attributes));
        lingeringClose();
    }

    private static void checkHost(RequestHead head) {
        List<String> hosts = head.headers().all("Host");
        if (head.isHttp10() ? hosts.size() > 1 : hosts.size() != 1) {
            throw new HttpException(400, "Bad Request", hosts.isEmpty() ? "no Host" : "more than one Host");
        }
        if (!hosts.isEmpty()) {
            String host = hosts.get(0);
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (c <= 0x20 || c >= 0x7f || c == '/' || c == '\\' || c == '@' || c == '?' || c == '#') {
                    throw new HttpException(400, "Bad Request", "invalid Host");
                }
            }
        }
    }

    /** Chooses the body framing (RFC 9112 §6.3). */
    private RequestBody bodyOf(RequestHead head) {
        Headers h = head.headers();
        List<String> te = h.all("Transfer-Encoding");
        List<String> cl = h.all("Content-Length");
        if (!te.isEmpty()) {
            if (!cl.isEmpty()) throw new HttpException(400, "Bad Request", "both Transfer-Encoding and Content-Length");
            if (head.isHttp10()) throw new HttpException(400, "Bad Request", "Transfer-Encoding in HTTP/1.0");
            String codings = String.join(",", te).toLowerCase(Locale.ROOT).replace(" ", "").replace("\t", "");
            if (codings.equals("chunked")) {
                return new ChunkedBody(in, config.limits().bodyBytes(), config.limits().headerBytes());
            }
            if (codings.endsWith(",chunked")) throw new HttpException(501, "Not Implemented", "transfer coding " + codings);
            throw new HttpException(400, "Bad Request", "chunked is not the final transfer coding");
        }
        if (cl.isEmpty()) return RequestBody.EMPTY;
        long length = -1;
        for (String value : cl) {
            for (String part : value.split(",", -1)) {
                long n = parseLength(part.strip());
                if (length >= 0 && n != length) throw new HttpException(400, "Bad Request", "differing Content-Length values");
                length = n;
            }
        }
        if (length > config.limits().bodyBytes()) throw new HttpException(413, "Content Too Large");
        return length == 0 ? RequestBody.EMPTY : new FixedLengthBody(in, length);
    }

    private static long parseLength(String s) {
        if (s.isEmpty() || s.length() > 18) throw new HttpException(400, "Bad Request", "invalid Content-Length");
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') throw new HttpException(400, "Bad Request", "invalid Content-Length");
        }
        return Long.parseLong(s);
    }

    private static boolean expectsContinue(RequestHead head, RequestBody body) {
        Optional<String> expect = head.headers().first("Expect");
        if (expect.isEmpty()) return false;
        if (!expect.get().equalsIgnoreCase("100-continue")) throw new HttpException(417, "Expectation Failed");
        return !head.isHttp10() && body != RequestBody.EMPTY;
    }

    private boolean wantsKeepAlive(Request request, int served) {
        if (registry.stopping() || served >= config.limits().requestsPerConnection()) return false;
        Headers h = request.headers();
        boolean close = false;
        boolean keepAlive = false;
        for (int i = 0, n = h.size(); i < n; i++) {
            if (!h.name(i).equalsIgnoreCase("Connection")) continue;
            close |= hasToken(h.value(i), "close");
            keepAlive |= hasToken(h.value(i), "keep-alive");
        }
        if (close) return false;
        return !request.version().equals("HTTP/1.0") || keepAlive;
    }

    /** Whether the comma-separated {@code list} has {@code token} (case-insensitive). */
    private static boolean hasToken(String list, String token) {
        int start = 0;
        while (start <= list.length()) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            int a = start;
            int b = end;
            while (a < b && (list.charAt(a) == ' ' || list.charAt(a) == '\t')) a++;
            while (b > a && (list.charAt(b - 1) == ' ' || list.charAt(b - 1) == '\t')) b--;
            if (b - a == token.length() && list.regionMatches(true, a, token, 0, token.length())) return true;
            if (comma < 0) break;
            start = comma + 1;
        }
        return false;
    }

    /**
     * Closes after an error response the way RFC 9112 §9.6 asks: stop sending, read and drop what the client
     * still sends for a moment, then close — so that the client sees the response, not a reset.
     */
    private void lingeringClose() {
        try {
            channel.socket().shutdownOutput();
            channel.socket().setSoTimeout(1000);
            InputStream raw = channel.socket().getInputStream();
            byte[] drop = new byte[4096];
            long deadline = System.nanoTime() + 2_000_000_000L;
            int total = 0;
            while (System.nanoTime() < deadline && total < (1 << 20)) {
                int n = raw.read(drop);
                if (n < 0) break;
                total += n;
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** Closes the connection if it is waiting for a request (graceful shutdown). */
    void closeIfIdle() {
        if (idle) close();
    }

    /** Closes the connection if its current write has blocked for longer than {@code timeoutNanos}. */
    void closeIfWriteStalled(long nowNanos, long timeoutNanos) {
        long startedAt = writeStartedNanos;
        if (startedAt != 0 && nowNanos - startedAt > timeoutNanos) {
            Logger.info("Closing connection from {}: the client read nothing for {} ms", peer, timeoutNanos / 1_000_000);
            close();
        }
    }

    /**
     * Cuts off a read that has passed its deadline: the input is shut down, so the blocked read ends
     * and the connection's thread answers 408 (or closes quietly when it was idle).
     */
    void expireReadIfLate(long nowNanos) {
        long deadline = readDeadlineNanos;
        if (deadline != 0 && nowNanos - deadline > 0) {
            readExpired = true;
            try {
                channel.shutdownInput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void readStarted(long deadlineNanos) {
        readDeadlineNanos = deadlineNanos;
    }

    @Override
    public void readEnded() {
        readDeadlineNanos = 0;
    }

    @Override
    public boolean expired() {
        return readExpired;
    }

    /** Closes the socket; the connection's thread then ends. */
    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void writeStarted() {
        writeStartedNanos = System.nanoTime() | 1; // never 0, which means "not writing"
    }

    @Override
    public void writeEnded() {
        writeStartedNanos = 0;
    }

    /** The request body, sending {@code 100 Continue} before the handler first reads it. */
    private final class ContinueBody extends RequestBody {
        private final RequestBody body;
        private boolean sent;

        ContinueBody(RequestBody body) {
            this.body = body;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!sent) {
                sent = true;
                writer.writeContinue();
            }
            return body.read(b, off, len);
        }
    }
}
