package dev.porta.server.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Asks the Porta running with a data folder to reload its config: finds it through the locked PID file and
 * sends it SIGHUP, but only when that process's command line is Porta's, so that a stale or forged PID file
 * never makes it signal another program.
 */
public final class Reloader {

    private Reloader() {
    }

    /** The outcome, for the command's output and exit status. */
    public record Outcome(boolean signalled, String message) {
    }

    /** Sends SIGHUP to the Porta of {@code dataDir}, if there is one and it is Porta. */
    public static Outcome reload(Path dataDir) throws IOException, InterruptedException {
        Path file = dataDir.resolve(PidFile.NAME);
        OptionalLong pid = PidFile.running(dataDir);
        if (pid.isEmpty()) {
            return new Outcome(false, Files.exists(file)
                    ? "no Porta is running with the data folder " + dataDir + ": " + file + " is not locked (left by a Porta that"
                      + " ended without stopping); nothing was signalled"
                    : "no Porta is running with the data folder " + dataDir + " (no " + file + ")");
        }
        long id = pid.getAsLong();
        if (!isPorta(id)) {
            return new Outcome(false, "process " + id + " named by " + file + " is not Porta (its command line does not run"
                    + " dev.porta.server.Porta or porta.jar): nothing was signalled");
        }
        if (HangUpSignal.ignoredBy(id)) {
            return new Outcome(false, "Porta (PID " + id + ") ignores SIGHUP (it was started with it ignored: nohup?), so it"
                    + " cannot be asked to reload: nothing was signalled; restart Porta (without nohup: its log"
                    + " file has its output anyway) to apply the config and to reload it by signal later");
        }
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(id)).redirectErrorStream(true).start();
        String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (kill.waitFor() != 0) return new Outcome(false, "could not signal Porta (PID " + id + "): " + said);
        return new Outcome(true, "asked Porta (PID " + id + ") to reload its config; its log says whether it was applied");
    }

    /** Whether process {@code pid} runs Porta, by its command line ({@code /proc/PID/cmdline}). */
    static boolean isPorta(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> args = List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
            return args.stream().anyMatch(a -> a.equals("dev.porta.server.Porta") || a.endsWith("/porta.jar") || a.equals("porta.jar"));
        } catch (IOException e) {
            return false; // gone, or not ours to read
        }
    }
}
