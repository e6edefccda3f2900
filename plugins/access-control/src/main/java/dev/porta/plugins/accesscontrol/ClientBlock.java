package dev.porta.plugins.accesscontrol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The addresses taken to be one client when failed logins and password checks are counted: an IPv4
 * address, or an IPv6 /64. One subscriber holds a whole /64, so rotating addresses inside it must not
 * make a new client.
 *
 * @param network the address, or the first address of the /64
 * @param bits    32 or 64
 */
record ClientBlock(InetAddress network, int bits) {

    /** The block {@code address} belongs to; an IPv4-mapped IPv6 address counts as its IPv4 address. */
    static ClientBlock of(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 4) return new ClientBlock(address, 32);
        boolean mapped = a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        for (int i = 0; i < 10; i++) mapped &= a[i] == 0;
        byte[] network = mapped ? Arrays.copyOfRange(a, 12, 16) : Arrays.copyOf(a, 16);
        if (!mapped) Arrays.fill(network, 8, 16, (byte) 0);
        try {
            return new ClientBlock(InetAddress.getByAddress(network), mapped ? 32 : 64);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are an address", e);
        }
    }

    /** {@code 192.0.2.1} or {@code 2001:db8:0:1:0:0:0:0/64}, for the log. */
    @Override
    public String toString() {
        return bits == 32 ? network.getHostAddress() : network.getHostAddress() + "/64";
    }
}
