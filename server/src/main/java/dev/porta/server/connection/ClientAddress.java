package dev.porta.server.connection;

import dev.porta.spi.Headers;
import dev.porta.spi.IpRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Who the client is and how it came: the peer's address and the connection's scheme, or — only when the
 * peer is a trusted proxy — the address it forwarded in {@code X-Forwarded-For}, read from the right and
 * skipping further trusted proxies, as nginx's {@code real_ip_recursive} does, and the scheme of its
 * {@code X-Forwarded-Proto} ({@code http} or {@code https}; the last value, the one that proxy set).
 * From anyone else these headers are ignored.
 *
 * @param address the client's address
 * @param scheme  {@code http} or {@code https}
 */
record ClientAddress(InetSocketAddress address, String scheme) {

    static ClientAddress resolve(InetSocketAddress peer, String connectionScheme, Headers headers, List<IpRange> trusted) {
        if (trusted.isEmpty() || !isTrusted(peer.getAddress(), trusted)) return new ClientAddress(peer, connectionScheme);
        return new ClientAddress(forwardedAddress(peer, headers, trusted), forwardedScheme(connectionScheme, headers));
    }

    private static String forwardedScheme(String connectionScheme, Headers headers) {
        List<String> values = headers.all("X-Forwarded-Proto");
        if (values.isEmpty()) return connectionScheme;
        String[] hops = String.join(",", values).split(",");
        String last = hops.length == 0 ? "" : hops[hops.length - 1].strip().toLowerCase(java.util.Locale.ROOT);
        return last.equals("https") || last.equals("http") ? last : connectionScheme;
    }

    private static InetSocketAddress forwardedAddress(InetSocketAddress peer, Headers headers, List<IpRange> trusted) {
        List<String> values = headers.all("X-Forwarded-For");
        if (values.isEmpty()) return peer;
        String[] hops = String.join(",", values).split(",");
        InetAddress client = null;
        for (int i = hops.length - 1; i >= 0; i--) {
            InetAddress hop = hopAddress(hops[i].strip());
            // a hop that names no address ("unknown", "_hidden"): the client is unknown, never the proxy
            if (hop == null) return UNKNOWN;
            client = hop;
            if (!isTrusted(hop, trusted)) break;
        }
        return client == null ? peer : new InetSocketAddress(client, 0);
    }

    /** The address a client is given when a trusted proxy forwards one that cannot be read: only "all" rules match it. */
    static final InetSocketAddress UNKNOWN = new InetSocketAddress(IpRange.parse("0.0.0.0").network(), 0);

    /**
     * The address of one {@code X-Forwarded-For} element: {@code 192.0.2.1}, {@code 2001:db8::1}, and the
     * forms some proxies write, {@code 192.0.2.1:5555}, {@code [2001:db8::1]}, {@code [2001:db8::1]:443};
     * null for anything else (a CIDR range names no client).
     */
    static InetAddress hopAddress(String hop) {
        String literal = hop;
        if (literal.startsWith("[")) {
            int close = literal.indexOf(']');
            if (close < 0) return null;
            String rest = literal.substring(close + 1);
            if (!rest.isEmpty() && !rest.matches(":\\d{1,5}")) return null;
            literal = literal.substring(1, close);
        } else if (literal.indexOf(':') == literal.lastIndexOf(':') && literal.indexOf(':') > 0) {
            String port = literal.substring(literal.indexOf(':') + 1);
            if (!port.matches("\\d{1,5}")) return null;
            literal = literal.substring(0, literal.indexOf(':')); // IPv4:port
        }
        if (literal.isEmpty() || literal.indexOf('/') >= 0) return null;
        try {
            return IpRange.parse(literal).network();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isTrusted(InetAddress address, List<IpRange> trusted) {
        for (IpRange r : trusted) {
            if (r.contains(address)) return true;
        }
        return false;
    }
}
