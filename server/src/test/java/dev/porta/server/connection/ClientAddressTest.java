package dev.porta.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.porta.spi.Headers;
import dev.porta.spi.IpRange;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who the client is behind a trusted proxy: never the proxy itself because a hop could not be read. */
class ClientAddressTest {

    static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 40000);
    static final List<IpRange> TRUSTED = List.of(IpRange.parse("127.0.0.1"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '>', value = {
        "8.8.8.8                        > 8.8.8.8",
        "2001:db8::1                    > 2001:db8:0:0:0:0:0:1",
        "8.8.8.8:5555                   > 8.8.8.8",
        "[2001:db8::1]                  > 2001:db8:0:0:0:0:0:1",
        "[2001:db8::1]:443              > 2001:db8:0:0:0:0:0:1",
        "203.0.113.9, 8.8.8.8:5555      > 8.8.8.8",
        "10.9.9.9, 127.0.0.1            > 10.9.9.9",
        "unknown                        > 0.0.0.0",
        "_hidden                        > 0.0.0.0",
        "8.8.8.8, unknown               > 0.0.0.0",
        "unknown, 127.0.0.1             > 0.0.0.0",
        "10.0.0.0/8                     > 0.0.0.0",
        "[2001:db8::1                   > 0.0.0.0",
        "8.8.8.8:port                   > 0.0.0.0",
    })
    void aHopThatCannotBeReadMakesTheClientUnknownNotTheProxy(String forwarded, String expected) {
        ClientAddress c = ClientAddress.resolve(PROXY, "http", Headers.of("X-Forwarded-For", forwarded), TRUSTED);
        assertEquals(expected, c.address().getAddress().getHostAddress());
    }
}
