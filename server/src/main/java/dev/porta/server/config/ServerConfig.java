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
        ConfigSettings server = new ConfigSettings(file, "server");
        String host = server.get("host", "0.0.0.0");
        int port = server.get("port").filter(v -> v.equalsIgnoreCase("off")).isPresent() ? OFF : server.getInt("port", 8080);
        if (port != OFF && (port < 0 || port > 65535)) throw server.invalid("port", port + " is not a port number (0-65535), or off");
        host = flags.host().orElse(host);
        port = flags.port().orElse(port);
        Optional<HttpsConfig> https = HttpsConfig.read(file, server);
        if (port == OFF && https.isEmpty()) throw server.invalid("port", "off needs server.https.port: Porta would listen nowhere");
        boolean redirect = server.getBoolean("http.redirect-to-https", false);
        if (redirect && https.isEmpty()) throw server.invalid("http.redirect-to-https", "needs server.https.port");

        Path root;
        if (flags.root().isPresent()) {
            root = realDirectory(flags.root().get(), "--root");
            server.get("root");
        } else {
            Path configured = server.getPath("root").orElse(file.home().resolve("www"));
            try {
                root = realDirectory(configured, "root");
            } catch (ConfigException e) {
                throw server.invalid("root", e.getMessage());
            }
        }
        Path plugins = server.getPath("plugins").orElse(file.home().resolve("plugins"));
        boolean watchPlugins = server.getBoolean("plugins.watch", true);
        plugins = flags.plugins().orElse(plugins);
        Path dataDir = server.getPath("data-dir").orElse(file.home().resolve("data"));
        Path logDir = server.getPath("log-dir").orElse(file.home().resolve("logs"));

        List<IpRange> proxies = new ArrayList<>();
        for (String item : server.getList("trusted-proxies")) {
            try {
                proxies.add(IpRange.parse(item));
            } catch (IllegalArgumentException e) {
                throw server.invalid("trusted-proxies", e.getMessage());
            }
        }
        List<String> chain = server.getList("chain");

        ConfigSettings errors = new ConfigSettings(file, "errors");
        Map<Integer, String> pages = new TreeMap<>();
        pages.put(404, "404.html");
        for (String key : errors.keys()) {
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
        }

        ConfigSettings limitSettings = new ConfigSettings(file, "limits");
        Limits limits = Limits.read(limitSettings);
        ConfigSettings timeoutSettings = new ConfigSettings(file, "timeouts");
        Timeouts timeouts = Timeouts.read(timeoutSettings);

        server.rejectUnread();
        errors.rejectUnread();
        limitSettings.rejectUnread();
        timeoutSettings.rejectUnread();
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
            return real;
        } catch (IOException e) {
            throw new ConfigException(what + " " + dir + ": no such directory (" + dir.toAbsolutePath() + ")");
        }
    }
}
