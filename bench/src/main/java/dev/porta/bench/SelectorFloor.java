package dev.porta.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The floor of s6 (heap per idle keep-alive connection): a bare {@link SocketChannel} registered with a
 * {@link Selector} and nothing of Porta's. It answers every read with one fixed small response (enough for
 * the idle-connection holder, which makes one request per connection) and keeps the connection registered.
 * One platform thread, one direct buffer shared by all connections. Loopback only.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.porta.bench.SelectorFloor PORT}, then, as bench/run does
 * for s6, the heap after a full GC with and without 10,000 idle connections held by {@link IdleConnections}.
 */
public final class SelectorFloor {

    private static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    private SelectorFloor() {
    }

    /** {@code SelectorFloor PORT}. */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        try (Selector selector = Selector.open(); ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
            ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);
            ByteBuffer response = ByteBuffer.allocateDirect(RESPONSE.length).put(RESPONSE);
            System.out.println("FLOOR listening on " + port);
            while (true) {
                selector.select(key -> {
                    try {
                        if (key.isAcceptable()) {
                            for (SocketChannel c; (c = listener.accept()) != null; ) {
                                c.configureBlocking(false);
                                c.register(selector, SelectionKey.OP_READ);
                            }
                            return;
                        }
                        SocketChannel c = (SocketChannel) key.channel();
                        buf.clear();
                        if (c.read(buf) < 0) {
                            key.cancel();
                            c.close();
                            return;
                        }
                        c.write(response.clear()); // a fresh socket's send buffer takes 40 bytes at once
                    } catch (IOException e) {
                        key.cancel();
                        try {
                            key.channel().close();
                        } catch (IOException ignored) {
                            // gone
                        }
                    }
                });
            }
        }
    }
}
