package dev.porta.plugins.status;

import dev.porta.spi.IpRange;
import dev.porta.spi.Settings;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The status plugin's settings, read and checked in one place for {@code check} and {@code start}.
 *
 * @param prefix where the pages live, starting and ending with {@code /} ({@code status.prefix})
 * @param allow  the clients that may see every page but health ({@code status.allow})
 * @param recent how many recent exchanges {@code /porta/requests} keeps ({@code status.recent})
 * @param hosts  host names, besides {@code localhost} and address literals, under which a client let in by
 *               its address may ask for the pages ({@code status.hosts}, lower case)
 */
record StatusSettings(String prefix, List<IpRange> allow, int recent, List<String> hosts) {

    static final String DEFAULT_ALLOW = "127.0.0.0/8, ::1";

    /** Reads them; a bad value throws {@code settings.invalid}, which says FILE:LINE. */
    static StatusSettings read(Settings settings) {
        String prefix = settings.get("prefix", "/porta/");
        if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 2 || prefix.contains("//")
                || prefix.contains("/./") || prefix.contains("/../") || prefix.indexOf('%') >= 0 || prefix.indexOf('\\') >= 0) {
            throw settings.invalid("prefix", "must be a plain path (no '.', '..' or empty segment, no % escape) that starts and"
                    + " ends with '/', such as /porta/ (got '" + prefix + "')");
        }
        List<IpRange> allow = new ArrayList<>();
        List<String> ranges = settings.get("allow").isPresent() ? settings.getList("allow") : List.of(DEFAULT_ALLOW.split(",\\s*"));
        for (String range : ranges) {
            if (range.equalsIgnoreCase("none")) continue; // only users let in by access control
            try {
                allow.add(IpRange.parse(range));
            } catch (IllegalArgumentException e) {
                throw settings.invalid("allow", e.getMessage());
            }
        }
        int recent = settings.getInt("recent", 2000);
        if (recent < 1 || recent > 100_000) throw settings.invalid("recent", "must be from 1 to 100000 (got " + recent + ")");
        List<String> hosts = new ArrayList<>();
        for (String host : settings.get("hosts").isPresent() ? settings.getList("hosts") : List.<String>of()) {
            String name = host.toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
                throw settings.invalid("hosts", "'" + host + "' is not a host name (no port, no scheme, no wildcard)");
            }
            hosts.add(name);
        }
        return new StatusSettings(prefix, List.copyOf(allow), recent, List.copyOf(hosts));
    }

    /**
     * Whether a client let in by its address may use {@code hostHeader}: an address literal,
     * {@code localhost} (or a name under {@code .localhost}), or a name in {@link #hosts()}. Any other name
     * may be a DNS-rebinding page in the user's own browser (its name re-pointed at 127.0.0.1): it must
     * not read the pages with the trust the loopback address gives.
     */
    boolean allowsHost(String hostHeader) {
        String host = hostHeader.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) return true; // IPv6 literal (the core checked its syntax)
        int colon = host.lastIndexOf(':');
        if (colon >= 0) host = host.substring(0, colon);
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        if (host.equals("localhost") || host.endsWith(".localhost")) return true;
        if (host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) return true;
        return hosts.contains(host);
    }

    /** Whether {@code client} is in {@link #allow()}. */
    boolean allows(InetAddress client) {
        for (IpRange r : allow) {
            if (r.contains(client)) return true;
        }
        return false;
    }
}
