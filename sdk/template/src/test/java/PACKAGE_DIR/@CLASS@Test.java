package @PACKAGE@;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.spi.ConfigException;
import dev.porta.testkit.PortaTestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin inside a real Porta (the testkit), over real sockets. */
class @CLASS@Test {

    @TempDir
    Path site;

    @Test
    void answersWithTheGreetingOfItsSetting() throws Exception {
        @CLASS@Observer observer = new @CLASS@Observer();
        try (PortaTestServer porta = PortaTestServer.builder(site)
                .config("@NAME@.greeting = Hi there\n")
                .handler("@NAME@", new @CLASS@Handler())
                .observer("@NAME@", observer)
                .start()) {
            HttpResponse<String> r = porta.get("/@NAME@");
            assertEquals(200, r.statusCode());
            assertEquals("Hi there\n", r.body());
            assertEquals(404, porta.get("/elsewhere").statusCode(), "other requests go on down the chain");
            assertEquals(2, porta.awaitExchanges(2).size());
            assertEquals(1, observer.answered());
            assertTrue(porta.serverLog().contains("INFO  [@NAME@] greets with 'Hi there' on /@NAME@"), porta.serverLog().toString());
        }
    }

    @Test
    void refusesABlankGreeting() {
        List<String> problems = PortaTestServer.builder(site)
                .config("@NAME@.greeting =\n")
                .handler("@NAME@", new @CLASS@Handler())
                .check();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("@NAME@.greeting"), problems.get(0));
    }

    @Test
    void doesNotStartWithAnUnknownSetting() {
        try {
            PortaTestServer.builder(site).config("@NAME@.greting = typo\n").handler("@NAME@", new @CLASS@Handler()).start().close();
            throw new AssertionError("started with an unknown setting");
        } catch (ConfigException expected) {
            assertTrue(expected.getMessage().contains("@NAME@.greting"), expected.getMessage());
        }
    }
}
