package dev.porta.server.config;

import dev.porta.spi.ConfigException;
import dev.porta.spi.IpRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The core's settings: the {@code server.*}, {@code limits.*}, {@code timeouts.*} and {@code errors.*}
 * keys of the config file, with command-line flags applied. Validated when read.
 *
 * @param host           the address to listen on
 * @param port           the plain-HTTP port (0: any free port; {@link #OFF}: no plain-HTTP listener)
 * @param root           the site folder, absolute and real
 * @param plugins        the folder of plugin jars
 * @param dataDir        the folder for plugins' data
 * @param logDir         the folder for log files
 * @param trustedProxies peers whose {@code X-Forwarded-For} is believed
 * @param chain          plugin ids in handler order, overriding the plugins' ordinals; empty: by ordinal
 * @param errorPages     status → page path under the root
 * @param limits         size and count limits
 * @param timeouts       timeouts
 * @param https          the HTTPS listener, if any
 * @param redirectToHttps whether plain-HTTP requests get a 308 to the same URL over HTTPS
 * @param watchPlugins   whether jars added to, replaced in or removed from the plugins folder are loaded,
 *                       swapped or unloaded while Porta runs ({@code server.plugins.watch}, default on)
 */
public record ServerConfig(String host, int port, Path root, Path plugins, Path dataDir, Path logDir,
                           List<IpRange> trustedProxies, List<String> chain, Map<Integer, String> errorPages,
                           Limits limits, Timeouts timeouts, Optional<HttpsConfig> https, boolean redirectToHttps,
                           boolean watchPlugins) {

    /** {@code server.port = off}: no plain-HTTP listener (HTTPS only). */
    public static final int OFF = -1;

    /** The key prefixes that belong to the core; every other prefix must be a loaded plugin's id. */
    public static final List<String> CORE_PREFIXES = List.of("server", "limits", "timeouts", "errors");

    public ServerConfig {
        if (port == OFF && https.isEmpty()) throw new ConfigException("server.port = off needs server.https.port: Porta would listen nowhere");
        trustedProxies = List.copyOf(trustedProxies);
        chain = List.copyOf(chain);
        errorPages = Map.copyOf(errorPages);
    }

    /**
     * Reads the core's keys from {@code file}, applies the flags and checks the result. Reports unknown
     * core keys too.
     *
     * @throws ConfigException naming file and line
     */
    public static ServerConfig read(ConfigFile file, CommandLine flags) {
        ConfigProblems problems = new ConfigProblems();
        ServerConfig config = read(file, flags, problems);
        problems.throwIfAny();
        return config;
    }

    /**
     * The same for {@code porta check}: adds every problem to {@code found} (each {@code FILE:LINE: ...})
     * and returns the config with each bad value at its default, so that the plugins can be checked too.
     */
    public static ServerConfig readAll(ConfigFile file, CommandLine flags, List<String> found) {
        ConfigProblems problems = new ConfigProblems();
        ServerConfig config = read(file, flags, problems);
        found.addAll(problems.found());
        return config;
    }

    private static ServerConfig read(ConfigFile file, CommandLine flags, ConfigProblems problems) {
        // each key's problem is collected and all are reported together (one per line of the message), so
        // that porta check and start-up name every bad value at once; a value that failed takes its default
        ConfigSettings server = new ConfigSettings(file, "server");
        String host = flags.host().orElse(server.get("host", "0.0.0.0"));
        int port = problems.take(() -> {
            int p = server.get("port").filter(v -> v.equalsIgnoreCase("off")).isPresent() ? OFF : server.getInt("port", 8080);
            if (p != OFF && (p < 0 || p > 65535)) throw server.invalid("port", p + " is not a port number (0-65535), or off");
            return p;
        }, 8080);
        port = flags.port().orElse(port);
        Optional<HttpsConfig> https = problems.take(() -> HttpsConfig.read(file, server), Optional.empty());
        if (port == OFF && https.isEmpty()) {
            problems.add(server.invalid("port", "off needs server.https.port: Porta would listen nowhere"));
            port = 8080;
        }
        if (https.isPresent() && port != OFF && port != 0 && https.get().port() == port) {
            problems.add(server.invalid("https.port", port + " is server.port too: HTTP and HTTPS need a port each"));
        }
        boolean redirect = problems.take(() -> server.getBoolean("http.redirect-to-https", false), false);
        if (redirect && https.isEmpty()) problems.add(server.invalid("http.redirect-to-https", "needs server.https.port"));

        Path root = problems.take(() -> {
            if (flags.root().isPresent()) {
                server.get("root");
                return realDirectory(flags.root().get(), "--root");
            }
            Path configured = server.getPath("root").orElse(file.home().resolve("www"));
            try {
                return realDirectory(configured, "root");
            } catch (ConfigException e) {
                throw server.invalid("root", e.getMessage());
            }
        }, file.home().resolve("www"));
        Path plugins = flags.plugins().orElse(problems.take(() -> server.getPath("plugins").orElse(file.home().resolve("plugins")),
                file.home().resolve("plugins")));
        boolean watchPlugins = problems.take(() -> server.getBoolean("plugins.watch", true), true);
        Path dataDir = problems.take(() -> server.getPath("data-dir").orElse(file.home().resolve("data")), file.home().resolve("data"));
        Path logDir = problems.take(() -> server.getPath("log-dir").orElse(file.home().resolve("logs")), file.home().resolve("logs"));

        List<IpRange> proxies = new ArrayList<>();
        for (String item : server.getList("trusted-proxies")) {
            try {
                proxies.add(IpRange.parse(item));
            } catch (IllegalArgumentException e) {
                problems.add(server.invalid("trusted-proxies", e.getMessage()));
            }
        }
        List<String> chain = server.getList("chain");

        ConfigSettings errors = new ConfigSettings(file, "errors");
        Map<Integer, String> pages = new TreeMap<>();
        pages.put(404, "404.html");
        for (String key : errors.keys().stream().sorted().toList()) {
            problems.run(() -> {
                int status;
                try {
                    status = Integer.parseInt(key);
                } catch (NumberFormatException e) {
                    throw errors.invalid(key, "expected a status code after 'errors.', e.g. errors.404 = 404.html");
                }
                if (status < 400 || status > 599) throw errors.invalid(key, "error pages are for statuses 400-599");
                String page = errors.get(key).orElseThrow();
                if (page.isEmpty()) pages.remove(status);
                else pages.put(status, pageUnderRoot(errors, key, page));
            });
        }

        ConfigSettings limitSettings = new ConfigSettings(file, "limits");
        ConfigFile none = ConfigFile.empty(file.home());
        Limits limits = problems.take(() -> Limits.read(limitSettings), null);
        if (limits == null) limits = Limits.read(new ConfigSettings(none, "limits"));
        ConfigSettings timeoutSettings = new ConfigSettings(file, "timeouts");
        Timeouts timeouts = problems.take(() -> Timeouts.read(timeoutSettings), null);
        if (timeouts == null) timeouts = Timeouts.read(new ConfigSettings(none, "timeouts"));

        problems.run(server::rejectUnread);
        problems.run(errors::rejectUnread);
        problems.run(limitSettings::rejectUnread);
        problems.run(timeoutSettings::rejectUnread);
        return new ServerConfig(host, port, root, plugins, dataDir, logDir, proxies, chain, pages, limits, timeouts, https, redirect, watchPlugins);
    }

    /**
     * This config with {@code running}'s log folder, data folder, plugins folder and whether it is
     * watched: the keys a reload cannot change (the log is open, plugins' data and the watched folder are
     * in use).
     */
    public ServerConfig keepingRestartOnly(ServerConfig running) {
        return new ServerConfig(host, port, root, running.plugins, running.dataDir, running.logDir, trustedProxies, chain,
                errorPages, limits, timeouts, https, redirectToHttps, running.watchPlugins);
    }

    /** An error page's path under the site folder: no {@code ..} segment, no backslash, not absolute outside it. */
    private static String pageUnderRoot(ConfigSettings errors, String key, String page) {
        String relative = page.startsWith("/") ? page.substring(1) : page;
        for (String segment : relative.split("/", -1)) {
            if (segment.equals("..") || segment.isEmpty() || segment.startsWith(".") || segment.contains("\\")) {
                throw errors.invalid(key, "'" + page + "' is not a page under the site folder (e.g. errors." + key + " = " + key + ".html)");
            }
        }
        return relative;
    }

    private static Path realDirectory(Path dir, String what) {
        try {
            Path real = dir.toRealPath();
            if (!Files.isDirectory(real)) throw new ConfigException(what + " " + dir + ": not a directory");
            // a site folder this user cannot list would answer 404 to everything: refused, as porta check does
            if (!Files.isReadable(real) || !Files.isExecutable(real)) {
                throw new ConfigException(what + " " + dir + ": the site folder cannot be read by this user");
            }
            return real;
        } catch (IOException e) {
            throw new ConfigException(what + " " + dir + ": no such directory (" + dir.toAbsolutePath() + ")");
        }
    }
}
