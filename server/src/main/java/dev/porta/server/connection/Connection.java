package dev.porta.server.connection;

import dev.porta.server.config.ServerConfig;
import dev.porta.server.http.HttpDate;
import dev.porta.server.http.HttpException;
import dev.porta.server.http.HttpInput;
import dev.porta.server.http.ListField;
import dev.porta.server.http.RequestBody;
import dev.porta.server.http.RequestHead;
import dev.porta.server.http.RequestFraming;
import dev.porta.server.http.RequestHeadParser;
import dev.porta.server.http.RequestTarget;
import dev.porta.server.http.ResponseWriter;
import dev.porta.server.http.TimedOutputStream;
import dev.porta.server.http.WriteClock;
import dev.porta.server.pipeline.ActivePipeline;
import dev.porta.server.pipeline.Pipeline;
import dev.porta.spi.Attributes;
import dev.porta.spi.ConnectionEvent;
import dev.porta.spi.Headers;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * One client connection, run on a virtual thread as a plain blocking loop: wait for a request, parse its
 * head, run it through the pipeline, write the response, drain what is left of the body, tell the
 * observers, and go again while the connection is persistent (RFC 9112 §9). A request the core refuses
 * gets its status, then the connection is closed.
 *
 * <p>The thread is the connection's for its whole life: between requests it blocks in a read, and the JDK
 * parks it in its poller (a selector model, which let the thread go while idle, was built and measured in
 * issue 12 and not kept).
 */
public final class Connection implements Runnable, WriteClock, HttpInput.ReadClock {

    private final SocketChannel channel;
    private final InetSocketAddress peer;
    private final long id;
    private final ServerConfig config;
    private final ActivePipeline pipelines;
    /** The pipeline of the exchange being served (each takes the current one when it begins), or the current one. */
    private volatile Pipeline pipeline;
    private final ConnectionRegistry registry;
    private final HttpDate date;
    private final Endpoint endpoint;

    /**
     * Waiting for a request (IDLE), serving one (BUSY), or closed by the shutdown while idle (CLOSED_IDLE);
     * through {@link #PHASE} (a field, not an object: an idle connection's every byte counts).
     */
    @SuppressWarnings("unused")
    private volatile int phase = IDLE;
    private static final VarHandle PHASE;
    /** Whether the admission was given back (the connection's thread, or the accepting one when it fails to start). */
    @SuppressWarnings("unused")
    private volatile boolean admissionReturned;
    private static final VarHandle ADMISSION;
    /** The exchange being served, for a report at shutdown when this thread is stuck in a plugin. */
    private volatile ExchangeRecord current;
    private static final int IDLE = 0;
    private static final int BUSY = 1;
    private static final int CLOSED_IDLE = 2;
    private volatile long writeStartedNanos;
    private volatile long readDeadlineNanos;
    private volatile boolean readExpired;
    /** The deadline of a TLS read within a request, timed by the socket rather than cut off (0: none). */
    private long timedReadDeadlineNanos;
    private InetSocketAddress local;
    private Transport transport;
    private HttpInput in;
    private ResponseWriter writer;
    private RequestHeadParser parser;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(Connection.class, "phase", int.class);
            ADMISSION = MethodHandles.lookup().findVarHandle(Connection.class, "admissionReturned", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // The connection's own thread only.
    private long openedNanos;
    private int served;
    /** When the first request's first byte is due (the handshake shares the header timeout with it). */
    private long firstDeadlineNanos;

    /** Draining an unread body to keep the connection: at most this long and this much, else close. */
    private static final long DRAIN_NANOS = 2_000_000_000L;
    private static final long DRAIN_MAX_BYTES = 1 << 20;

    /** How long a closing connection keeps reading what the client still sends, at most and per pause. */
    private static final long LINGER_NANOS = 5_000_000_000L;
    private static final int LINGER_PAUSE_MILLIS = 1000;

    /**
     * A connection on {@code channel} from {@code peer}, to a listener of {@code endpoint}; {@code registry}
     * counts it once it is added there.
     */
    public Connection(SocketChannel channel, InetSocketAddress peer, long id, ServerConfig config, ActivePipeline pipelines,
                      ConnectionRegistry registry, HttpDate date, Endpoint endpoint) {
        this.endpoint = endpoint;
        this.channel = channel;
        this.peer = peer;
        this.id = id;
        this.config = config;
        this.pipelines = pipelines;
        this.pipeline = pipelines.current();
        this.registry = registry;
        this.date = date;
    }

    /** True the first time only: whether this connection's admission is still to be given back. */
    boolean takeAdmission() {
        return ADMISSION.compareAndSet(this, false, true);
    }

    /** The peer's address (not a forwarded one). */
    public InetSocketAddress peer() {
        return peer;
    }

    @Override
    public void run() {
        try {
            if (!open()) return;
            Next next = serveWhileKeptAlive();
            if (next == Next.LINGER) lingeringClose();
            else finishTransport();
        } catch (IOException | UncheckedIOException e) {
            Logger.debug("Connection from {} ended: {}", peer, e.getMessage());
        } catch (RuntimeException | Error e) {
            Logger.error(e, "Connection from {} failed", peer);
        } finally {
            end();
        }
    }

    /** The connection's first steps: the socket's options, the observers told, the TLS handshake; false: close. */
    private boolean open() throws IOException {
        openedNanos = System.nanoTime();
        Socket socket = channel.socket();
        socket.setTcpNoDelay(true);
        local = (InetSocketAddress) channel.getLocalAddress();
        if (pipeline.isConnectionObserved()) {
            pipeline.connection(ConnectionEvent.builder(ConnectionEvent.Kind.OPENED, peer).id(id).local(local).build());
        }
        // the handshake and the first request's first byte share the header timeout
        firstDeadlineNanos = openedNanos + config.timeouts().header().toNanos();
        transport = endpoint.tls().isEmpty() ? new Transport.Plain(channel) : handshake(firstDeadlineNanos);
        if (transport == null) return false;
        in = new HttpInput(transport.in(), this);
        writer = new ResponseWriter(new TimedOutputStream(transport.out(), transport.zeroCopyChannel(), this), transport.zeroCopyChannel(), this, date);
        parser = new RequestHeadParser(config.limits());
        return true;
    }

    /**
     * Serves requests while the connection is persistent: between them its thread blocks in a read for the
     * next request's first byte, unless pipelined bytes are already buffered here or decrypted inside TLS.
     */
    private Next serveWhileKeptAlive() throws IOException {
        Next next = Next.KEEP_ALIVE;
        while (next == Next.KEEP_ALIVE) {
            if (registry.stopping() && !in.hasBuffered()) break;
            long waitNanos = served == 0 ? firstDeadlineNanos - System.nanoTime() : config.timeouts().idle().toNanos();
            if (!in.awaitData(millis(Duration.ofNanos(waitNanos)))) break;
            // A request arrived; the shutdown may close an idle connection at this very moment. Only one of
            // the two wins: either it is served and answered, or it was never begun (the client may retry).
            if (!PHASE.compareAndSet(this, IDLE, BUSY)) break;
            next = exchange(parser, ++served);
            PHASE.setVolatile(this, IDLE); // only this thread leaves BUSY: the shutdown closes an IDLE connection alone
            current = null; // an idle connection keeps nothing of its last exchange
            in.shrink();
        }
        return next;
    }

    /** The end of the connection: its admission given back, closed, observers told, forgotten. */
    private void end() {
        registry.giveBack(this);
        close();
        if (pipeline.isConnectionObserved() && local != null) {
            pipeline.connection(ConnectionEvent.builder(ConnectionEvent.Kind.CLOSED, peer).id(id).local(local)
                    .open(Duration.ofNanos(System.nanoTime() - openedNanos)).exchanges(served).build());
        }
        registry.remove(this);
    }

    /**
     * The TLS side of the connection, or null when it is to close. Its reads end at {@code deadlineNanos};
     * its writes are watched like any write (a client that sends a ClientHello and then reads nothing).
     */
    private Transport handshake(long deadlineNanos) {
        writeStarted();
        Transport done = null;
        try {
            done = TlsHandshake.open(channel, peer, endpoint.tls().orElseThrow(), this, deadlineNanos).orElse(null);
            return done;
        } finally {
            writeEnded();
            if (pipeline.isConnectionObserved()) {
                pipeline.connection(ConnectionEvent.builder(ConnectionEvent.Kind.HANDSHAKE, peer).id(id).local(local)
                        .tls(done == null ? null : done.tls().orElse(null)).build());
            }
        }
    }

    /** What a connection does after an exchange. */
    private enum Next {
        /** Wait for the next request. */
        KEEP_ALIVE,
        /** Close now: nothing the client sent is left unread. */
        CLOSE,
        /** Close, but first read and drop what the client still sends (RFC 9112 §9.6). */
        LINGER,
        /** The client closed before a request began: no exchange, close. */
        NO_REQUEST
    }

    /** Serves one request, and tells the observers about it exactly once, however it ends. */
    private Next exchange(RequestHeadParser parser, int served) throws IOException {
        ExchangeRecord record = new ExchangeRecord(peer);
        current = record;
        Next next = null;
        // the whole exchange, its observers included, runs on the chain current when it began (hot deploy, reload)
        pipeline = pipelines.enter();
        try {
            next = serve(parser, served, record);
            return next == Next.NO_REQUEST ? Next.CLOSE : next;
        } finally {
            try {
                if (next != Next.NO_REQUEST) {
                    record.requestLine(parser.requestLine());
                    record.cutShortUnlessReported(pipeline, writer);
                }
            } finally {
                pipeline.leave();
                pipeline = pipelines.current();
            }
        }
    }

    /** Reads, routes and answers one request. */
    private Next serve(RequestHeadParser parser, int served, ExchangeRecord record) throws IOException {
        in.deadline(record.startNanos() + config.timeouts().header().toNanos(), 408);
        RequestHead head = null;
        Request request;
        RequestBody body;
        Response response;
        try {
            head = parser.read(in);
            if (head == null) return Next.NO_REQUEST;
            record.requestLine(parser.requestLine());
            RequestFraming.Framing framing = RequestFraming.of(head, config.limits().bodyBytes());
            boolean asterisk = head.target().equals("*") && head.method().equals("OPTIONS");
            RequestTarget target = asterisk ? ASTERISK : RequestTarget.parse(head.target());
            body = framing.body(in, config.limits());
            in.timeout(millis(config.timeouts().body()), 408);
            RequestBody handed = framing.expectContinue() ? new ContinueBody(body) : body;
            request = toRequest(head, target, handed, record.attributes());
            record.request(request);
            // OPTIONS * asks about the server, not a resource: the core answers it (RFC 9110 §9.3.7)
            if (asterisk) {
                response = Response.of(200).withHeader("Allow", "GET, HEAD, OPTIONS, POST");
            } else {
                Optional<Response> redirect = endpoint.redirect(request);
                if (redirect.isPresent()) {
                    response = redirect.get();
                } else {
                    Pipeline.Answer answer = pipeline.handle(request);
                    response = answer.response();
                    record.answeredBy(answer.answeredBy());
                }
            }
        } catch (HttpException e) {
            record.requestLine(parser.requestLine());
            if (head != null && record.request().isEmpty()) describeRefused(head, record);
            refuse(e, record);
            return Next.LINGER;
        }

        boolean keepAlive = wantsKeepAlive(request, served);
        boolean continueUnsent = request.body() instanceof ContinueBody c && !c.sent;
        if (continueUnsent) keepAlive = false; // the client may still send the body we did not ask for
        response = endpoint.withHsts(response);
        record.writing(response.status());
        ResponseWriter.Sent sent = writer.write(response, request.isHead(), keepAlive, request.version().equals("HTTP/1.0"));
        keepAlive &= !sent.mustClose();
        boolean unread = continueUnsent;
        if (keepAlive && !body.isFinished()) {
            // What the handler left unread is drained to keep the connection, but only while it is quick: a
            // client trickling a large body must not hold the connection past this (it is then closed, lingering).
            in.deadline(System.nanoTime() + DRAIN_NANOS, 408);
            try {
                if (!body.drain(DRAIN_MAX_BYTES)) {
                    keepAlive = false;
                    unread = true;
                }
            } catch (HttpException | IOException e) {
                keepAlive = false;
                unread = true;
            }
        } else if (!keepAlive) {
            unread |= !body.isFinished();
        }
        record.completed(pipeline, sent);
        if (keepAlive) return Next.KEEP_ALIVE;
        return unread || in.hasBuffered() || hasArrived() ? Next.LINGER : Next.CLOSE;
    }

    /** {@code OPTIONS *} names no resource; its request (seen by observers only) gets the path {@code /}. */
    private static final RequestTarget ASTERISK = new RequestTarget("/", "");

    /** Whether bytes the client sent are waiting unread (pipelined requests, say). */
    private boolean hasArrived() {
        return transport.hasArrived();
    }

    private Request toRequest(RequestHead head, RequestTarget target, RequestBody body, Attributes attributes) {
        ClientAddress client = ClientAddress.resolve(peer, transport.scheme(), head.headers(), config.trustedProxies());
        // an absolute-form target names the host: plugins (and the redirect) see it as Host (RFC 9112 §3.2.2)
        Headers headers = RequestTarget.authority(head.target()).map(a -> head.headers().withOnly("Host", a)).orElse(head.headers());
        return Request.builder().method(head.method()).target(head.target()).path(target.path()).query(target.query())
                .version(head.version()).scheme(client.scheme()).tls(transport.tls().orElse(null)).headers(headers)
                .client(client.address()).local(local).body(body).attributes(attributes).build();
    }

    /**
     * Gives the observers the request of a head that was read whole but refused (413, 417, 501, a bad Host):
     * its headers (User-Agent, Referer) belong in the access log too. Not when its target cannot be read.
     */
    private void describeRefused(RequestHead head, ExchangeRecord record) {
        try {
            RequestTarget target = head.target().equals("*") ? ASTERISK : RequestTarget.parse(head.target());
            record.request(toRequest(head, target, RequestBody.EMPTY, record.attributes()));
        } catch (HttpException | IllegalArgumentException unreadable) {
            // the raw request line is all the observers get
        }
    }

    /** Answers a refused request with its status; the connection then closes, lingering. */
    private void refuse(HttpException e, ExchangeRecord record) throws IOException {
        Logger.debug("Refused {} from {}: {} ({})", e.status(), peer, e.publicMessage(), e.getMessage());
        Response response = endpoint.withHsts(pipeline.errorResponse(e.status()));
        boolean head = record.request().map(Request::isHead).orElse(false);
        record.writing(e.status());
        record.completed(pipeline, writer.write(response, head, false, false));
    }

    private boolean wantsKeepAlive(Request request, int served) {
        if (registry.stopping() || served >= config.limits().requestsPerConnection()) return false;
        Headers h = request.headers();
        boolean close = false;
        boolean keepAlive = false;
        for (int i = 0, n = h.size(); i < n; i++) {
            if (!h.name(i).equalsIgnoreCase("Connection")) continue;
            close |= ListField.contains(h.value(i), "close");
            keepAlive |= ListField.contains(h.value(i), "keep-alive");
        }
        if (close) return false;
        return !request.version().equals("HTTP/1.0") || keepAlive;
    }

    /**
     * Closes the way RFC 9112 §9.6 asks when the client may still be sending (pipelined requests past the
     * last one served, a body not read): stop sending, read and drop what the client still sends for a
     * bounded time, then close — so that the client reads every response written, not a reset.
     */
    private void lingeringClose() {
        transport.shutdownOutput();
        try {
            channel.socket().setSoTimeout(LINGER_PAUSE_MILLIS);
            InputStream raw = channel.socket().getInputStream();
            byte[] drop = new byte[4096];
            long deadline = System.nanoTime() + LINGER_NANOS;
            while (System.nanoTime() - deadline < 0) {
                if (raw.read(drop) < 0) break;
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Says goodbye under TLS ({@code close_notify}), watched like any write, before the socket closes. */
    private void finishTransport() {
        writeStarted();
        try {
            transport.finish();
        } finally {
            writeEnded();
        }
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /**
     * Reports the exchange this connection's thread is stuck in as cut short (its socket is closed by now):
     * called at shutdown, when the thread did not end in time, so that no exchange goes unreported.
     */
    void reportStuckExchange() {
        ExchangeRecord record = current;
        if (record != null && writer != null) record.cutShortUnlessReported(pipeline, writer);
    }

    /** Closes the connection if it is waiting for a request (graceful shutdown); one being served is left alone. */
    void closeIfIdle() {
        if (PHASE.compareAndSet(this, IDLE, CLOSED_IDLE)) close();
    }

    /** Closes the connection if its current write has blocked for longer than {@code timeoutNanos}. */
    void closeIfWriteStalled(long nowNanos, long timeoutNanos) {
        long startedAt = writeStartedNanos;
        if (startedAt != 0 && nowNanos - startedAt > timeoutNanos) {
            Logger.info("Closing connection from {}: nothing could be sent to it for {} ms (it reads too slowly, or not at all)", peer, timeoutNanos / 1_000_000);
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

    /**
     * Under TLS, a read within a request is timed by the socket: JSSE survives a read that times out, but
     * closes the socket when the watchdog shuts the input down (and TLS 1.2 answers the end of the input with
     * its own close_notify), so the 408 could not be sent. The watchdog stays the backstop, a little later.
     * Plain HTTP keeps the watchdog alone: a timed read costs a virtual thread a timer for every read.
     */
    @Override
    public void requestReadStarted(long deadlineNanos) {
        if (deadlineNanos == 0 || !(transport instanceof Transport.Tls)) {
            readStarted(deadlineNanos);
            return;
        }
        long left = deadlineNanos - System.nanoTime();
        try {
            channel.socket().setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000 + 1)));
            timedReadDeadlineNanos = deadlineNanos;
            readStarted(deadlineNanos + TIMED_READ_BACKSTOP_NANOS);
        } catch (IOException e) {
            readStarted(deadlineNanos); // closed meanwhile: the read fails anyway
        }
    }

    /** How long after a timed TLS read's deadline the watchdog cuts it off, should the socket's timer not. */
    private static final long TIMED_READ_BACKSTOP_NANOS = 1_000_000_000L;

    @Override
    public void readEnded() {
        readDeadlineNanos = 0;
        long timed = timedReadDeadlineNanos;
        if (timed != 0) {
            if (System.nanoTime() - timed >= 0) readExpired = true; // the read timed out: it stays so, as when cut off
            timedReadDeadlineNanos = 0;
            try {
                channel.socket().setSoTimeout(0);
            } catch (IOException ignored) {
                // closed: no more reads
            }
        }
    }

    @Override
    public boolean expired() {
        long timed = timedReadDeadlineNanos;
        return readExpired || (timed != 0 && System.nanoTime() - timed >= 0);
    }

    /** Closes the socket; the connection's thread then ends. */
    public void close() {
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
