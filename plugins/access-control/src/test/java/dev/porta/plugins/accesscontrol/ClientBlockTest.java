package dev.porta.plugins.accesscontrol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientBlockTest {

    @Test
    void anIpv4AddressIsItsOwnBlockAndAnIpv6AddressBelongsToItsSlashSixtyFour() throws Exception {
        assertEquals("192.0.2.1", ClientBlock.of(InetAddress.getByName("192.0.2.1")).toString());
        assertNotEquals(ClientBlock.of(InetAddress.getByName("192.0.2.1")), ClientBlock.of(InetAddress.getByName("192.0.2.2")));
        ClientBlock v6 = ClientBlock.of(InetAddress.getByName("2001:db8:0:1::1"));
        assertEquals(v6, ClientBlock.of(InetAddress.getByName("2001:db8:0:1:ffff:ffff:ffff:ffff")));
        assertNotEquals(v6, ClientBlock.of(InetAddress.getByName("2001:db8:0:2::1")));
        assertEquals("2001:db8:0:1:0:0:0:0/64", v6.toString());
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
        assertEquals(ClientBlock.of(InetAddress.getByName("192.0.2.1")), ClientBlock.of(java.net.Inet6Address.getByAddress(null, mapped, -1)));
    }
}
