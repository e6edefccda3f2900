package dev.porta.spi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address or CIDR range, such as {@code 192.168.0.0/16}, {@code 10.1.2.3} or
 * {@code ::1/128}. Parsing never consults DNS. An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1})
 * matches the IPv4 ranges.
 *
 * @param network the first address of the range
 * @param bits    the prefix length
 */
public record IpRange(InetAddress network, int bits) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /**
     * Parses an address or CIDR range.
     *
     * @throws IllegalArgumentException with a message fit for a config error
     */
    public static IpRange parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        InetAddress addr = literal(address);
        int max = addr.getAddress().length * 8;
        int bits = max;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length in '" + text + "'");
            }
            if (bits < 0 || bits > max) throw new IllegalArgumentException("prefix length out of range in '" + text + "'");
        }
        try {
            return new IpRange(InetAddress.getByAddress(mask(addr.getAddress(), bits)), bits);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + address + "'");
        }
    }

    /** Whether {@code address} lies in this range. */
    public boolean contains(InetAddress address) {
        byte[] a = unmapped(address.getAddress());
        byte[] n = network.getAddress();
        if (a.length != n.length) return false;
        byte[] masked = mask(a, bits);
        return java.util.Arrays.equals(masked, n);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + bits;
    }

    private static InetAddress literal(String address) {
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            throw new IllegalArgumentException("not an IP address: '" + address + "'");
        }
        if (IPV4.matcher(address).matches()) {
            for (String part : address.split("\\.")) {
                if (Integer.parseInt(part) > 255) throw new IllegalArgumentException("not an IP address: '" + address + "'");
            }
        }
        try {
            return InetAddress.getByName(address); // a literal: no DNS look-up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + address + "'");
        }
    }

    private static byte[] unmapped(byte[] a) {
        if (a.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) mapped &= a[i] == 0;
            mapped &= a[10] == (byte) 0xff && a[11] == (byte) 0xff;
            if (mapped) return java.util.Arrays.copyOfRange(a, 12, 16);
        }
        return a;
    }

    private static byte[] mask(byte[] a, int bits) {
        byte[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }
}
