package dev.porta.server.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which process listens on a TCP port, read from Linux's {@code /proc}: the listening sockets of
 * {@code /proc/net/tcp} and {@code tcp6} with that port, then the process whose open files include one of
 * them. Only processes whose {@code /proc/PID/fd} this user may read are seen (its own, or all for root):
 * an owner that cannot be seen is unknown, never guessed.
 */
public final class PortOwner {

    private static final String LISTEN = "0A";

    private final Path proc;

    /** Reads {@code proc} as the {@code /proc} file system (a test may pass a folder of its own). */
    public PortOwner(Path proc) {
        this.proc = proc;
    }

    /** The system's {@code /proc}. */
    public static PortOwner system() {
        return new PortOwner(Path.of("/proc"));
    }

    /** The process id of a process that listens on {@code port}, if one can be seen. */
    public Optional<Long> pidListeningOn(int port) {
        Set<String> sockets = new HashSet<>();
        for (String table : List.of("net/tcp", "net/tcp6")) listeningInodes(proc.resolve(table), port, sockets);
        if (sockets.isEmpty()) return Optional.empty();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path pid : pids) {
                if (holdsAny(pid.resolve("fd"), sockets)) return Optional.of(Long.parseLong(pid.getFileName().toString()));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Whether the process {@code pid} runs Porta's server (its main class or {@code porta.jar}). */
    public boolean isPorta(long pid) {
        try {
            String[] args = new String(Files.readAllBytes(proc.resolve(pid + "/cmdline")), StandardCharsets.UTF_8).split("\0");
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("dev.porta.server.Porta")) return true;
                if (args[i].equals("-jar") && i + 1 < args.length && args[i + 1].endsWith("porta.jar")) return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static void listeningInodes(Path table, int port, Set<String> into) {
        List<String> lines;
        try {
            lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return;
        }
        // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[3].equals(LISTEN)) continue;
            int colon = f[1].lastIndexOf(':');
            try {
                if (colon > 0 && Integer.parseInt(f[1].substring(colon + 1), 16) == port) into.add("socket:[" + f[9] + "]");
            } catch (NumberFormatException e) {
                // not a line of the table
            }
        }
    }

    private static boolean holdsAny(Path fds, Set<String> sockets) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(fds)) {
            for (Path fd : files) {
                try {
                    if (sockets.contains(Files.readSymbolicLink(fd).toString())) return true;
                } catch (IOException | UnsupportedOperationException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // another user's process: its files cannot be read
        }
        return false;
    }
}
