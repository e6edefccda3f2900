package dev.porta.server.connection;

import dev.porta.server.http.HttpInput;
import dev.porta.server.tls.TlsContext;
import dev.porta.spi.TlsInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.tinylog.Logger;

/**
 * Opens the TLS side of a connection on the HTTPS port, within the header timeout (a slow or half-done
 * handshake is a slowloris too): the first byte must begin a TLS handshake record; plain HTTP gets a short
 * plaintext 400 that says so, as nginx answers, and is closed. A failed handshake is logged at debug only:
 * scanners and old clients cause them all day.
 */
final class TlsHandshake {

    /** The content type of a TLS handshake record (RFC 8446 §5.1). */
    private static final byte HANDSHAKE_RECORD = 0x16;

    /** The first read: room for a typical ClientHello (a few hundred bytes; more arrives through JSSE). */
    private static final int FIRST_READ = 2048;

    private static final byte[] PLAIN_HTTP = plainHttpAnswer();

    private TlsHandshake() {
    }

    /**
     * The TLS transport over {@code channel}, its handshake done by {@code deadlineNanos}; empty when the
     * connection is to be closed (plain HTTP answered, handshake failed or too slow, client gone).
     *
     * @param clock told about the blocking reads, so that the watchdog cuts them off at the deadline
     */
    static Optional<Transport> open(SocketChannel channel, InetSocketAddress peer, TlsContext tls,
                                    HttpInput.ReadClock clock, long deadlineNanos) {
        try {
            InputStream raw = channel.socket().getInputStream();
            byte[] arrived = new byte[FIRST_READ];
            int n;
            clock.readStarted(deadlineNanos);
            try {
                n = raw.read(arrived); // what came (a whole ClientHello, usually): JSSE is handed all of it
            } finally {
                clock.readEnded();
            }
            if (n <= 0) {
                Logger.debug("TLS connection from {} closed before a handshake{}", peer, clock.expired() ? " (header timeout)" : "");
                return Optional.empty();
            }
            if (arrived[0] != HANDSHAKE_RECORD) {
                Logger.debug("Plain HTTP (or garbage) from {} on the HTTPS port: 400", peer);
                answerPlainHttp(channel);
                return Optional.empty();
            }
            SSLSocket ssl = tls.layer(channel.socket(), Arrays.copyOf(arrived, n));
            clock.readStarted(deadlineNanos);
            try {
                ssl.startHandshake();
            } finally {
                clock.readEnded();
            }
            TlsInfo info = TlsInfo.of(ssl.getSession().getProtocol(), ssl.getSession().getCipherSuite());
            return Optional.of(new Transport.Tls(channel, ssl, info));
        } catch (IOException | RuntimeException e) {
            Logger.debug("TLS handshake with {} failed{}: {}", peer, clock.expired() ? " (header timeout)" : "", e.toString());
            return Optional.empty();
        }
    }

    /** Writes the 400 and closes lingering a little, so that the client reads it rather than a reset. */
    private static void answerPlainHttp(SocketChannel channel) throws IOException {
        channel.write(ByteBuffer.wrap(PLAIN_HTTP)); // a fresh socket's buffer takes it at once
        channel.socket().shutdownOutput();
        channel.socket().setSoTimeout(200);
        byte[] drop = new byte[2048];
        InputStream raw = channel.socket().getInputStream();
        try {
            for (int i = 0; i < 8 && raw.read(drop) >= 0; i++) {
                // drop what the client sent
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static byte[] plainHttpAnswer() {
        String body = "400 Bad Request: this port speaks HTTPS; plain HTTP was sent to it. Use https:// in the URL.\n";
        return ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }
}
