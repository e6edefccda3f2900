package dev.porta.server;

import dev.porta.server.config.CommandLine;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ConfigSettings;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.control.Reloader;
import dev.porta.spi.ConfigException;
import java.nio.file.Path;

/**
 * {@code porta reload [--config FILE]}: finds the running Porta through the PID file in the data folder the
 * config names and sends it SIGHUP. Exit 0 when it was signalled, 1 when no Porta runs there (or the PID
 * file names another program), 2 when the config cannot be read at all. A config with a problem is still
 * signalled (the running Porta then logs the problem and keeps its configuration); the problem is shown here too.
 */
public final class ReloadCommand {

    private ReloadCommand() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine flags;
        ConfigFile file;
        try {
            flags = CommandLine.parse(args);
            file = Porta.readConfig(flags, Porta.home());
        } catch (ConfigException e) {
            System.err.println("porta: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path dataDir;
        try {
            dataDir = ServerConfig.read(file, flags).dataDir();
        } catch (ConfigException e) {
            System.err.println("porta: " + e.getMessage() + " — the running Porta will keep its configuration");
            dataDir = new ConfigSettings(file, "server").getPath("data-dir").orElse(file.home().resolve("data"));
        }
        Reloader.Outcome outcome = Reloader.reload(dataDir.toAbsolutePath().normalize());
        (outcome.signalled() ? System.out : System.err).println("porta: " + outcome.message());
        System.exit(outcome.signalled() ? 0 : 1);
    }
}
