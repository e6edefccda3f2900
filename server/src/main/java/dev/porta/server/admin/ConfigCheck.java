package dev.porta.server.admin;

import dev.porta.server.Porta;
import dev.porta.server.config.CommandLine;
import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.HttpsConfig;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.control.PidFile;
import dev.porta.server.tls.Certificates;
import dev.porta.spi.ConfigException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code porta check}, as {@code nginx -t}: reads the config, loads the plugins and runs their
 * side-effect-free {@code Lifecycle.check} (which reads the files they name, such as users files), reads the
 * certificates, and checks that the site folder is readable and the ports can be bound. Serves nothing,
 * starts no plugin, creates no file or folder.
 *
 * <p>A port counts as bindable when it is free, or when the process listening on it is a Porta (seen in
 * {@code /proc}, so only for this user's processes or as root): as {@code nginx -t} ignores the ports of
 * the running nginx, a check before a restart or reload must not fail because the server it checks for
 * is up. A port held by a process that cannot be seen is a problem, since it may be anything.
 */
public final class ConfigCheck {

    private final PortOwner ports;

    /** A check that finds port owners through {@code ports}. */
    public ConfigCheck(PortOwner ports) {
        this.ports = ports;
    }

    /**
     * Runs the check: prints {@code configuration OK} to {@code out} and returns 0, or prints each problem
     * ({@code FILE:LINE: problem}) to {@code err} and returns 2.
     */
    public int run(CommandLine flags, Path home, PrintStream out, PrintStream err) {
        List<String> found = new ArrayList<>();
        String source = check(flags, home, found);
        // a message may hold several problems, one a line (every bad line of the file, every bad core key)
        List<String> problems = found.stream().flatMap(String::lines).toList();
        if (problems.isEmpty()) {
            out.println("porta: " + source + ": configuration OK");
            return 0;
        }
        problems.forEach(err::println);
        err.println("porta: " + source + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
        return 2;
    }

    /** Adds every problem found to {@code problems}; returns the config file's name. */
    String check(CommandLine flags, Path home, List<String> problems) {
        ConfigFile file;
        ServerConfig config;
        try {
            file = Porta.readConfig(flags, home);
        } catch (ConfigException e) {
            problems.add(e.getMessage());
            return flags.config().map(Path::toString).orElse("the config");
        }
        // every bad core value is named; the plugins are checked with the rest at its defaults
        List<String> core = new ArrayList<>();
        config = ServerConfig.readAll(file, flags, core);
        problems.addAll(core);
        config.https().ifPresent(h -> {
            try {
                try (Certificates loaded = Certificates.load(h, path -> { })) {
                    problems.addAll(loaded.outOfDate(Instant.now()));
                }
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        });
        problems.addAll(Porta.check(file, config));
        dataFolderProblem(config.dataDir()).ifPresent(why -> problems.add(where(file, Optional.of("server.data-dir"), "")
                + ": server.data-dir: cannot write " + config.dataDir().resolve(PidFile.NAME) + ": " + why));
        String hostWhere = where(file, flags.host().isPresent() ? Optional.empty() : Optional.of("server.host"), "--host");
        if (!core.isEmpty()) return file.source(); // a port taken at its default is not worth binding
        if (PortAvailability.whyNot(config.host(), 0).filter(w -> w.startsWith("unknown host")).isPresent()) {
            // named once, at server.host's line, not at each port's
            problems.add(hostWhere + ": server.host: unknown host " + config.host());
            return file.source();
        }
        if (config.port() != ServerConfig.OFF && config.port() != 0) {
            checkPort(config.host(), config.port(), where(file, flags.port().isPresent() ? Optional.empty() : Optional.of("server.port"), "--port"), problems);
        }
        config.https().map(HttpsConfig::port).filter(p -> p != 0)
                .ifPresent(p -> checkPort(config.host(), p, where(file, Optional.of("server.https.port"), "--port"), problems));
        return file.source();
    }

    /**
     * Why start-up could not write its PID file into {@code dataDir} (it creates the folder if missing), as
     * start-up would say it: {@code permission denied}, {@code not a folder}. Writes nothing.
     */
    static Optional<String> dataFolderProblem(Path dataDir) {
        Path existing = dataDir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return Optional.empty();
        if (!Files.isDirectory(existing)) return Optional.of(existing + " is not a folder");
        if (!Files.isWritable(existing) || !Files.isExecutable(existing)) return Optional.of(existing + ": permission denied");
        Path pid = dataDir.resolve(PidFile.NAME);
        if (existing.equals(dataDir.toAbsolutePath().normalize()) && Files.exists(pid) && !Files.isWritable(pid)) {
            return Optional.of(pid + ": permission denied");
        }
        return Optional.empty();
    }

    private void checkPort(String host, int port, String where, List<String> problems) {
        Optional<String> why = PortAvailability.whyNot(host, port);
        if (why.isEmpty()) return;
        if (why.get().equals("address already in use")) {
            Optional<Long> owner = ports.pidListeningOn(port);
            if (owner.isPresent() && ports.isPorta(owner.get())) return; // the running Porta's: it keeps it
            why = Optional.of(why.get() + owner.map(pid -> " (by process " + pid + ", which is not Porta)")
                    .orElse(" (by a process this user cannot see; if it is the running Porta, check as its user or root)"));
        }
        problems.add(where + ": cannot listen on " + PortAvailability.text(host, port) + ": " + why.get());
    }

    /** {@code FILE:LINE} of {@code key}, {@code command line: FLAG} when the flag set it, else the file. */
    private static String where(ConfigFile file, Optional<String> key, String flag) {
        if (key.isEmpty()) return "command line: " + flag;
        ConfigFile.Entry e = file.entries().get(key.get());
        return e == null ? file.source() : file.where(e);
    }
}
