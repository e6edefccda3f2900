package dev.porta.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

class StartupErrorTest {

    @Test
    void namesTheCauseInOneLine() {
        assertEquals("cannot listen on 0.0.0.0:80: permission denied (a port below 1024 needs root or CAP_NET_BIND_SERVICE)",
                StartupError.describe(new BindException("cannot listen on 0.0.0.0:80: permission denied (a port below 1024 needs root or CAP_NET_BIND_SERVICE)")));
        assertEquals("cannot listen: address already in use", StartupError.describe(new BindException("Address already in use")));
        // a wrapper whose message is its cause's toString() is looked through
        assertEquals("/var/log/porta/porta.log: permission denied",
                StartupError.describe(new UncheckedIOException(new AccessDeniedException("/var/log/porta/porta.log"))));
        assertEquals("IOException: disk full", StartupError.describe(new IOException("disk full\n\tat somewhere")));
        assertEquals("NullPointerException", StartupError.describe(new NullPointerException()));
        assertEquals("IllegalStateException: plugin x broke", StartupError.describe(new IllegalStateException("plugin x broke")));
    }
}
