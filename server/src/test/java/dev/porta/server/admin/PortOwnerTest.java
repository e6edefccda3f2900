package dev.porta.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortOwnerTest {

    @TempDir
    Path proc;

    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    private void process(long pid, String cmdline, String... sockets) throws Exception {
        Path fd = Files.createDirectories(proc.resolve(pid + "/fd"));
        Files.writeString(proc.resolve(pid + "/cmdline"), cmdline.replace(' ', '\0') + "\0");
        int n = 0;
        for (String socket : sockets) Files.createSymbolicLink(fd.resolve(String.valueOf(n++)), Path.of(socket));
    }

    @Test
    void findsTheProcessHoldingAListeningSocketAndTellsPortaFromOthers() throws Exception {
        Files.createDirectories(proc.resolve("net"));
        // 8080 = 0x1F90 listening (0A) with inode 4242; 8080 also as an established connection (01) with inode 7
        Files.writeString(proc.resolve("net/tcp"), HEADER
                + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0\n"
                + "   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 7 1 0 100 0 0 10 0\n");
        Files.writeString(proc.resolve("net/tcp6"), HEADER
                + "   0: 00000000000000000000000000000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  0  0 99 1\n");
        process(10, "/usr/bin/java -Dporta.home=/opt/porta -cp /opt/porta/lib/* dev.porta.server.Porta --port 8080", "socket:[4242]");
        process(11, "/usr/bin/java -jar /srv/checkout/server/target/porta.jar", "socket:[7]");
        process(12, "nginx: master process", "socket:[99]");
        PortOwner owner = new PortOwner(proc);

        assertEquals(Optional.of(10L), owner.pidListeningOn(8080), "the listener, not the process with a connection on that port");
        assertTrue(owner.isPorta(10));
        assertTrue(owner.isPorta(11), "java -jar porta.jar");
        assertEquals(Optional.of(12L), owner.pidListeningOn(443));
        assertFalse(owner.isPorta(12));
        assertEquals(Optional.empty(), owner.pidListeningOn(9090));
        assertFalse(owner.isPorta(13), "no such process");
    }

    @Test
    void onThisMachineItFindsThisJvmsOwnListener() throws Exception {
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) return; // not Linux: nothing to find
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PortOwner owner = PortOwner.system();
            assertEquals(Optional.of(ProcessHandle.current().pid()), owner.pidListeningOn(socket.getLocalPort()));
            assertFalse(owner.isPorta(ProcessHandle.current().pid()), "a test JVM is not Porta");
        }
    }

    @Test
    void aBindThatFailsIsSaidInWords() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(Optional.of("address already in use"), PortAvailability.whyNot("127.0.0.1", socket.getLocalPort()));
        }
        assertEquals(Optional.empty(), PortAvailability.whyNot("127.0.0.1", 0));
        assertEquals("[::1]:80", PortAvailability.text("::1", 80));
        assertEquals(Optional.of("unknown host no-such-host.invalid"), PortAvailability.whyNot("no-such-host.invalid", 1));
    }
}
