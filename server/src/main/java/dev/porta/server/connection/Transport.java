package dev.porta.server.connection;

import dev.porta.spi.TlsInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * What a connection reads from and writes to, so that the connection loop and the response writer are one
 * code path for plain HTTP and HTTPS: the socket itself, or TLS layered over it. Closing from another
 * thread (timeouts, shutdown) always closes the underlying channel, which ends any blocked read or write.
 */
sealed interface Transport {

    /** The bytes from the client (decrypted under TLS). */
    InputStream in() throws IOException;

    /** The bytes to the client (encrypted under TLS), unbuffered. */
    OutputStream out() throws IOException;

    /** The socket as a channel when response bytes may bypass {@link #out()} (zero-copy files); null under TLS. */
    WritableByteChannel zeroCopyChannel();

    /** {@code http} or {@code https}. */
    String scheme();

    /** What the handshake agreed on; empty for plain HTTP. */
    Optional<TlsInfo> tls();

    /** Whether bytes the client sent wait unread (pipelined requests), decrypted or not. */
    boolean hasArrived();

    /** Stops sending (TLS: {@code close_notify}, then the TCP half-close), for a lingering close. */
    void shutdownOutput();

    /** Ends the connection the polite way (TLS: {@code close_notify} first); the channel is closed afterwards. */
    void finish();

    /** Plain HTTP: the socket's own streams, and zero-copy file sending. */
    record Plain(SocketChannel channel) implements Transport {
        @Override
        public InputStream in() throws IOException {
            return channel.socket().getInputStream();
        }

        @Override
        public OutputStream out() throws IOException {
            return channel.socket().getOutputStream();
        }

        @Override
        public WritableByteChannel zeroCopyChannel() {
            return channel;
        }

        @Override
        public String scheme() {
            return "http";
        }

        @Override
        public Optional<TlsInfo> tls() {
            return Optional.empty();
        }

        @Override
        public boolean hasArrived() {
            return available(channel.socket());
        }

        @Override
        public void shutdownOutput() {
            try {
                channel.socket().shutdownOutput();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void finish() {
            // nothing to say before closing
        }
    }

    /** HTTPS: an {@link SSLSocket} layered over the socket, its handshake done. */
    record Tls(SocketChannel channel, SSLSocket ssl, TlsInfo info) implements Transport {
        @Override
        public InputStream in() throws IOException {
            return ssl.getInputStream();
        }

        @Override
        public OutputStream out() throws IOException {
            return ssl.getOutputStream();
        }

        @Override
        public WritableByteChannel zeroCopyChannel() {
            return null; // every byte goes through TLS
        }

        @Override
        public String scheme() {
            return "https";
        }

        @Override
        public Optional<TlsInfo> tls() {
            return Optional.of(info);
        }

        @Override
        public boolean hasArrived() {
            return available(ssl) || available(channel.socket());
        }

        @Override
        public void shutdownOutput() {
            finish();
            new Plain(channel).shutdownOutput();
        }

        @Override
        public void finish() {
            try {
                ssl.shutdownOutput(); // close_notify
            } catch (IOException | RuntimeException ignored) {
                // the client is gone, or JSSE closed the socket already
            }
        }
    }

    private static boolean available(Socket socket) {
        try {
            return socket.getInputStream().available() > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
