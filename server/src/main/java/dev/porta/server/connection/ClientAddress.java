package dev.porta.server.connection;

import dev.porta.spi.Headers;
import dev.porta.spi.IpRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The client's address: the peer's, or — only when the peer is a trusted proxy — the address it forwarded
 * in {@code X-Forwarded-For}, read from the right and skipping further trusted proxies, as nginx's
 * {@code real_ip_recursive} does. {@code X-Forwarded-For} from anyone else is ignored.
 */
final class ClientAddress {

    private ClientAddress() {
    }

    static InetSocketAddress resolve(InetSocketAddress peer, Headers headers, List<IpRange> trusted) {
        if (trusted.isEmpty() || !isTrusted(peer.getAddress(), trusted)) return peer;
        List<String> values = headers.all("X-Forwarded-For");
        if (values.isEmpty()) return peer;
        String[] hops = String.join(",", values).split(",");
        InetAddress client = null;
        for (int i = hops.length - 1; i >= 0; i--) {
            InetAddress hop;
            try {
                hop = IpRange.parse(hops[i].strip()).network();
            } catch (IllegalArgumentException e) {
                break; // a malformed hop: stop believing the list here
            }
            client = hop;
            if (!isTrusted(hop, trusted)) break;
        }
        return client == null ? peer : new InetSocketAddress(client, 0);
    }

    private static boolean isTrusted(InetAddress address, List<IpRange> trusted) {
        for (IpRange r : trusted) {
            if (r.contains(address)) return true;
        }
        return false;
    }
}
