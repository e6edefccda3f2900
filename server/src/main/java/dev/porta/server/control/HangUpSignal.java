package dev.porta.server.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a process ignores SIGHUP, the signal that reloads Porta. A process started with SIGHUP ignored
 * ({@code nohup}, a shell's {@code trap '' HUP}) keeps it ignored: the JVM then installs no handler for it,
 * and a reload by signal does nothing at all. Read from {@code /proc/PID/status} (Linux).
 */
public final class HangUpSignal {

    /** SIGHUP is signal 1: bit 0 of the {@code SigIgn} mask. */
    private static final long MASK = 0x1;

    private HangUpSignal() {
    }

    /** Whether process {@code pid} ignores SIGHUP; false when that cannot be read (no /proc, gone). */
    public static boolean ignoredBy(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & MASK) != 0;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone: nothing known
        }
        return false;
    }
}
