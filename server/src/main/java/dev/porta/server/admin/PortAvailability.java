package dev.porta.server.admin;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether an address can be listened on right now, found by binding it for a moment (with
 * {@code SO_REUSEADDR}, as the server binds, so that a port freed a moment ago counts as free).
 */
public final class PortAvailability {

    private PortAvailability() {
    }

    /** Why {@code host:port} cannot be bound now, in words ({@code address already in use}); empty when it can. */
    public static Optional<String> whyNot(String host, int port) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return Optional.of("unknown host " + host);
        }
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(address, port), 1);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(reason(e));
        }
    }

    /** {@code HOST:PORT} as an admin types it: an IPv6 address in brackets. */
    public static String text(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The cause of a failed bind in a few lower-case words, without the exception's class. */
    public static String reason(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("already in use")) return "address already in use";
        if (message.contains("permission denied")) return "permission denied (a port below 1024 needs root or CAP_NET_BIND_SERVICE)";
        if (message.contains("cannot assign requested address")) return "cannot assign requested address (no interface has it)";
        if (!message.isEmpty()) return message;
        return e instanceof BindException ? "cannot bind" : e.getClass().getSimpleName();
    }
}
