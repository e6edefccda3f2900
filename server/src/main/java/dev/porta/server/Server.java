package dev.porta.server;

import dev.porta.server.config.HttpsConfig;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.config.Timeouts;
import dev.porta.server.connection.Connection;
import dev.porta.server.connection.ConnectionRegistry;
import dev.porta.server.connection.ConnectionThreads;
import dev.porta.server.connection.Endpoint;
import dev.porta.server.connection.RefusalReporter;
import dev.porta.server.http.HttpDate;
import dev.porta.server.pipeline.ActivePipeline;
import dev.porta.server.pipeline.Pipeline;
import dev.porta.server.tls.Certificates;
import dev.porta.server.tls.ProvidedCertificates;
import dev.porta.server.tls.TlsContext;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ConnectionEvent;
import dev.porta.spi.ServerState;
import dev.porta.spi.Headers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ThreadFactory;
import org.tinylog.Logger;

/**
 * The listening sockets (plain HTTP, HTTPS, or both): one platform thread accepts on each, each admitted
 * connection runs on its own virtual thread; beyond the connection limits a client gets a quick 503 and is
 * closed (on the HTTPS port it is closed at once: a plaintext 503 means nothing to a TLS client). A watchdog thread cuts off
 * clients that stopped reading and reads that passed their deadline. {@link #stop()} shuts down gracefully.
 */
public final class Server implements AutoCloseable {

    private static final byte[] FULL = ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
            + "Retry-After: 1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    /** Refused connections that may linger at once (each on a virtual thread, for at most a second). */
    private static final int REFUSALS_LINGERING = 256;

    /** After the grace time, how long the threads of closed connections get to end. */
    private static final long THREAD_END_NANOS = 2_000_000_000L;

    /** The config of new connections; a reload replaces it ({@link #reconfigure}). */
    private volatile ServerConfig config;
    private final ActivePipeline pipelines;
    private final ConnectionRegistry registry;
    private final Semaphore lingeringRefusals = new Semaphore(REFUSALS_LINGERING);
    private final HttpDate date = new HttpDate();
    private final ConnectionThreads connectionThreads;
    /**
     * Connection threads kept parked for the next connections (see {@link ConnectionThreads}): a burst of new
     * connections larger than this, under load, waits for the scheduler's shared queue. Each costs about 1 KB.
     */
    private static final int SPARE_THREADS = 64;
    private Certificates certificates;
    private ProvidedCertificates provided = ProvidedCertificates.none();
    private volatile ServerSocketChannel listener;
    private volatile ServerSocketChannel httpsListener;
    private volatile Endpoint plainEndpoint = Endpoint.PLAIN;
    private volatile Endpoint httpsEndpoint;
    private RefusalReporter refusals;
    private final List<Thread> acceptors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Thread watchdog;
    private volatile boolean running;
    private volatile ServerState state = ServerState.STARTING;
    private final AtomicLong connectionIds = new AtomicLong();
    private boolean stopped;

    /** A server for {@code config} that runs requests through {@code pipeline}. */
    public Server(ServerConfig config, Pipeline pipeline) {
        this(config, pipeline, Thread.ofVirtual().name("porta-connection-", 0).factory());
    }

    /** The same, serving HTTPS with {@code certificates} (already read); the server closes them when it stops. */
    public Server(ServerConfig config, Pipeline pipeline, Certificates certificates) {
        this(config, new ActivePipeline(pipeline), certificates);
    }

    /**
     * The same, running each exchange on the pipeline current when it begins: hot deploy and reload
     * replace it as a whole.
     */
    public Server(ServerConfig config, ActivePipeline pipelines, Certificates certificates) {
        this(config, pipelines, certificates, ProvidedCertificates.none());
    }

    /**
     * The same, serving HTTPS with {@code certificates} (already read; may hold none) and, for the names they
     * do not cover, the certificates plugins provide ({@code provided}).
     */
    public Server(ServerConfig config, ActivePipeline pipelines, Certificates certificates, ProvidedCertificates provided) {
        this(config, pipelines, Thread.ofVirtual().name("porta-connection-", 0).factory());
        this.certificates = certificates;
        this.provided = provided;
    }

    /** The same, with connections run on threads from {@code connectionThreads} (for tests). */
    Server(ServerConfig config, Pipeline pipeline, ThreadFactory connectionThreads) {
        this(config, new ActivePipeline(pipeline), connectionThreads);
    }

    private Server(ServerConfig config, ActivePipeline pipelines, ThreadFactory connectionThreads) {
        this.config = config;
        this.pipelines = pipelines;
        this.registry = new ConnectionRegistry(config.limits(), config.trustedProxies());
        this.connectionThreads = new ConnectionThreads(connectionThreads, SPARE_THREADS);
    }

    /** Binds and starts accepting; returns the address bound (the real port when 0 was asked for). */
    /**
     * Binds and starts accepting; returns the address bound for plain HTTP (the real port when 0 was asked
     * for), or for HTTPS when plain HTTP is off.
     */
    public InetSocketAddress start() throws IOException {
        Endpoint https = null;
        try {
            if (config.https().isPresent()) {
                HttpsConfig h = config.https().get();
                if (certificates == null) certificates = Certificates.load(h, file -> { });
                https = new Endpoint(Optional.of(TlsContext.of(certificates, provided)), OptionalInt.empty(), h.hsts());
                httpsListener = bind(config.host(), h.port());
            }
            if (config.port() != ServerConfig.OFF) listener = bind(config.host(), config.port());
        } catch (IOException | RuntimeException e) {
            closeQuietly(httpsListener);
            if (certificates != null) certificates.close();
            throw e;
        }
        running = true;
        state = ServerState.SERVING;
        refusals = new RefusalReporter(pipelines, 1024);
        httpsEndpoint = https;
        plainEndpoint = plainEndpoint(config);
        if (listener != null) accept(listener, false);
        if (httpsListener != null) accept(httpsListener, true);
        watchdog = Thread.ofPlatform().name("porta-timeouts").daemon().start(this::enforceTimeouts);
        return address();
    }

    /** The plain-HTTP endpoint: a redirect to the HTTPS port when {@code config} asks for one. */
    private Endpoint plainEndpoint(ServerConfig config) throws IOException {
        return config.redirectToHttps()
                ? new Endpoint(Optional.empty(), OptionalInt.of(httpsAddress().orElseThrow().getPort()), Optional.empty())
                : Endpoint.PLAIN;
    }

    private void accept(ServerSocketChannel channel, boolean tls) {
        // never a daemon: the accept threads are what keeps Porta's JVM alive after main returns. A builder's thread
        // inherits its creator's daemon status, and a reload runs on a thread made from the JVM's (daemon) signal
        // dispatcher: a new port's acceptor was a daemon, and when the old one ended the JVM ran its shutdown hook
        // The accepting itself runs on a virtual thread: the poller wakes it in its turn with the busy connections,
        // and the spare it unparks for each new connection joins the same run queue (see ConnectionThreads)
        String name = tls ? "porta-accept-https" : "porta-accept";
        acceptors.add(Thread.ofPlatform().daemon(false).name(name).start(() -> {
            try {
                Thread.ofVirtual().name(name + "-v").start(() -> acceptLoop(channel, tls)).join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    /**
     * Applies a reloaded config to the connections accepted from now on (those open keep theirs). When the
     * address or a port changed, the new listener is bound before the old one is closed, so that no client
     * finds nothing listening; when it cannot be bound, nothing changes and the exception says why. Whether
     * Porta listens for HTTPS at all, and with which certificates, is not changed here (a restart does).
     */
    public synchronized void reconfigure(ServerConfig next) throws IOException {
        if (stopped || !running) throw new IllegalStateException("the server is not running");
        ServerConfig old = config;
        boolean hostChanged = !old.host().equals(next.host());
        ServerSocketChannel newPlain = null;
        ServerSocketChannel newHttps = null;
        try {
            if (httpsListener != null && next.https().isPresent()
                    && (hostChanged || next.https().get().port() != old.https().map(HttpsConfig::port).orElse(-1))) {
                newHttps = bind(next.host(), next.https().get().port());
            }
            if (next.port() != ServerConfig.OFF && (listener == null || hostChanged || next.port() != old.port())) {
                newPlain = bind(next.host(), next.port());
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(newPlain);
            closeQuietly(newHttps);
            throw e;
        }
        config = next;
        if (newHttps != null) {
            ServerSocketChannel before = httpsListener;
            httpsListener = newHttps;
            accept(newHttps, true);
            closeQuietly(before);
            Logger.info("Porta listening on https://{}:{}/ (the old listener is closed)", next.host(), newHttps.socket().getLocalPort());
        }
        plainEndpoint = plainEndpoint(next);
        if (newPlain != null) {
            ServerSocketChannel before = listener;
            listener = newPlain;
            accept(newPlain, false);
            closeQuietly(before);
            Logger.info("Porta listening on http://{}:{}/ (the old listener is closed)", next.host(), newPlain.socket().getLocalPort());
        } else if (next.port() == ServerConfig.OFF && listener != null) {
            closeQuietly(listener);
            listener = null;
            Logger.info("Plain HTTP is off: its listener is closed");
        }
    }

    private ServerSocketChannel bind(String host, int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1024);
            return channel;
        } catch (java.net.BindException e) {
            closeQuietly(channel);
            // the address in the message: the JDK's names none
            java.net.BindException named = new java.net.BindException("cannot listen on "
                    + dev.porta.server.admin.PortAvailability.text(config.host(), port) + ": " + dev.porta.server.admin.PortAvailability.reason(e));
            named.initCause(e);
            throw named;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The address the server listens on for plain HTTP, or for HTTPS when plain HTTP is off. */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) (listener != null ? listener : httpsListener).getLocalAddress();
    }

    /** The address of the HTTPS listener, if there is one. */
    public Optional<InetSocketAddress> httpsAddress() throws IOException {
        return httpsListener == null ? Optional.empty() : Optional.of((InetSocketAddress) httpsListener.getLocalAddress());
    }

    /** The number of open connections. */
    public int openConnections() {
        return registry.size();
    }

    /** Connection threads parked as spares, waiting for the next connection. */
    int parkedConnectionThreads() {
        return connectionThreads.parked();
    }

    private void acceptLoop(ServerSocketChannel listener, boolean tls) {
        while (running) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (!running || !listener.isOpen()) break;
                Logger.warn("Accept failed: {}", e.getMessage());
                pause();
                continue;
            }
            Endpoint endpoint = tls ? httpsEndpoint : plainEndpoint;
            try {
                InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
                Optional<ConnectionEvent.Refusal> refusal = registry.admit(peer.getAddress());
                if (refusal.isPresent()) {
                    if (endpoint.tls().isPresent()) closeFull(channel, peer, refusal.get());
                    else rejectFull(channel, peer, refusal.get());
                    continue;
                }
                startConnection(new Connection(channel, peer, nextId(), config, pipelines, registry, date, endpoint));
            } catch (IOException | RuntimeException e) {
                Logger.warn("Could not start a connection: {}", e.toString());
                closeQuietly(channel);
            }
        }
    }

    /** Runs an admitted connection on a thread of its own; if that fails, its admission is given back. */
    private void startConnection(Connection connection) {
        registry.add(connection);
        try {
            connectionThreads.serve(connection);
        } catch (RuntimeException | Error e) {
            registry.remove(connection);
            connection.close();
            Logger.warn("Could not start a connection from {}: {}", connection.peer(), e.toString());
            if (e instanceof VirtualMachineError vme) throw vme;
        }
    }

    private long nextId() {
        return connectionIds.incrementAndGet(); // two accept threads; never the server's monitor, which stop() holds
    }

    /** On the HTTPS port, over a limit: closed at once (observers hear of the refused connection). */
    private void closeFull(SocketChannel channel, InetSocketAddress peer, ConnectionEvent.Refusal why) {
        closeQuietly(channel);
        refusals.report(null, ConnectionEvent.builder(ConnectionEvent.Kind.REFUSED, peer).refusal(why).at(Instant.now()).build());
    }

    /** Answers 503 on the accepting thread (a fresh socket's buffer takes these bytes at once) and closes. */
    private void rejectFull(SocketChannel channel, InetSocketAddress peer, ConnectionEvent.Refusal why) {
        Instant started = Instant.now();
        try {
            channel.write(ByteBuffer.wrap(FULL));
            closeLingering(channel);
        } catch (IOException e) {
            closeQuietly(channel); // the client is gone anyway
        }
        refusals.report(CompletedExchange.builder().client(peer).status(503)
                .responseHeaders(Headers.of("Content-Length", "0", "Retry-After", "1", "Connection", "close"))
                .started(started).duration(Duration.between(started, Instant.now())).build(),
                ConnectionEvent.builder(ConnectionEvent.Kind.REFUSED, peer).refusal(why).at(started).build());
    }

    /**
     * Closes a refused connection so that the client reads its 503, not a reset: half-close, then read and
     * drop what the client sent for up to a second on a virtual thread of its own. At most
     * {@link #REFUSALS_LINGERING} at once, so that a flood of refused clients cannot make threads without
     * end; beyond that, the connection is closed at once.
     */
    private void closeLingering(SocketChannel channel) throws IOException {
        channel.shutdownOutput();
        if (!lingeringRefusals.tryAcquire()) {
            closeQuietly(channel);
            return;
        }
        try {
            Thread.ofVirtual().name("porta-refusal-linger").start(() -> {
                try {
                    channel.socket().setSoTimeout(500);
                    byte[] drop = new byte[2048];
                    long deadline = System.nanoTime() + 1_000_000_000L;
                    while (System.nanoTime() - deadline < 0 && channel.socket().getInputStream().read(drop) >= 0) {
                        // dropping what the refused client still sends
                    }
                } catch (IOException ignored) {
                    // closing anyway
                } finally {
                    closeQuietly(channel);
                    lingeringRefusals.release();
                }
            });
        } catch (RuntimeException | Error e) {
            lingeringRefusals.release();
            closeQuietly(channel);
        }
    }

    /** Every few milliseconds: cut off late reads and stalled writes (see {@code Timeouts}). */
    private void enforceTimeouts() {
        Timeouts t = config.timeouts();
        long shortest = Math.min(Math.min(t.header().toMillis(), t.idle().toMillis()), Math.min(t.body().toMillis(), t.write().toMillis()));
        long period = Math.max(10, Math.min(250, shortest / 4));
        long writeTimeout = t.write().toNanos();
        while (true) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            registry.enforceTimeouts(System.nanoTime(), writeTimeout);
        }
    }

    /**
     * Stops gracefully: first drain ({@code timeouts.drain}: go on accepting and serving while the state
     * says {@link ServerState#DRAINING}, so that health checks fail and a load balancer takes this server
     * out), then stop accepting, close idle connections, let requests in flight finish within the grace
     * time ({@code timeouts.grace}), then close what is left and wait for its threads to end, so that
     * every exchange has been reported before this returns; after it, observers hear of none. Safe to call
     * more than once and from several threads: a second call waits for the first.
     */
    public synchronized void stop() {
        if (stopped || (listener == null && httpsListener == null)) return;
        stopped = true;
        state = ServerState.DRAINING;
        drain(config.timeouts().drain());
        running = false;
        closeQuietly(listener);
        closeQuietly(httpsListener);
        try {
            for (Thread acceptor : acceptors) acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registry.beginStop();
        long deadline = System.nanoTime() + config.timeouts().grace().toNanos();
        while (registry.size() > 0 && System.nanoTime() < deadline) {
            registry.beginStop(); // a connection that went idle after its response
            pause();
        }
        if (registry.size() > 0) {
            Logger.warn("Grace time over: closing {} connection(s) still busy", registry.size());
            registry.closeAll();
            // their threads now fail their writes and report those exchanges as cut short: let them
            long cutOff = System.nanoTime() + THREAD_END_NANOS;
            while (registry.size() > 0 && System.nanoTime() < cutOff) pause();
            if (registry.size() > 0) {
                Logger.warn("{} connection thread(s) still busy in a handler: their exchanges are reported as cut short", registry.size());
                registry.reportStuckExchanges();
            }
        }
        connectionThreads.close();
        refusals.close();
        pipelines.current().close();
        watchdog.interrupt();
        if (certificates != null) certificates.close();
        state = ServerState.STOPPED;
    }

    /** Waits {@code drain} while still serving; a stop that is interrupted goes on at once. */
    private static void drain(Duration drain) {
        if (drain.isZero()) return;
        Logger.info("Draining for {} before the listener closes", drain);
        try {
            Thread.sleep(drain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where the server is in its life. */
    public ServerState state() {
        return state;
    }

    @Override
    public void close() {
        stop();
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            if (c != null) c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
