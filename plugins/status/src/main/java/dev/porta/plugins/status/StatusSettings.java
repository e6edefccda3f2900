package dev.porta.plugins.status;

import dev.porta.spi.IpRange;
import dev.porta.spi.Settings;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The status plugin's settings, read and checked in one place for {@code check} and {@code start}.
 *
 * @param prefix where the pages live, starting and ending with {@code /} ({@code status.prefix})
 * @param allow  the clients that may see every page but health ({@code status.allow})
 * @param recent how many recent exchanges {@code /porta/requests} keeps ({@code status.recent})
 */
record StatusSettings(String prefix, List<IpRange> allow, int recent) {

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
        return new StatusSettings(prefix, List.copyOf(allow), recent);
    }

    /** Whether {@code client} is in {@link #allow()}. */
    boolean allows(InetAddress client) {
        for (IpRange r : allow) {
            if (r.contains(client)) return true;
        }
        return false;
    }
}
