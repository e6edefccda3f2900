package dev.porta.plugins.fastcgi;

import dev.porta.spi.ConfigException;
import dev.porta.spi.Settings;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The plugin's settings ({@code fastcgi.*} in the config), read and checked once at start.
 *
 * @param address           where PHP-FPM listens: a Unix-domain socket, or an unresolved host and port
 * @param addressText       the address as configured, for log lines
 * @param extensions        lower-case file extensions that run as scripts
 * @param indexFiles        names tried, in order, for a folder
 * @param frontController   the script that runs for a path matching no file or folder, if any
 * @param connectTimeout    the longest wait for a connection, pooled or new
 * @param answerTimeout     the longest wait for PHP-FPM to take or send anything
 * @param idleTimeout       how long an unused connection stays open
 * @param maxConnections    the pool's bound, at most PHP-FPM's {@code pm.max_children}
 * @param passAuthorization whether the Authorization header reaches PHP as {@code HTTP_AUTHORIZATION}
 * @param params            extra CGI variables, alternating names and values, set after the standard ones
 */
record FastCgiSettings(SocketAddress address, String addressText, List<String> extensions, List<String> indexFiles,
                       Optional<String> frontController, Duration connectTimeout, Duration answerTimeout,
                       Duration idleTimeout, int maxConnections, boolean passAuthorization, List<String> params) {

    private static final String PARAM = "param.";

    static FastCgiSettings read(Settings s) {
        String text = s.get("address").orElseThrow(() -> new ConfigException(
                "fastcgi.address is not set: give PHP-FPM's listen address, e.g. unix:/run/php/php8.2-fpm.sock or 127.0.0.1:9000"));
        SocketAddress address = parseAddress(s, text);

        List<String> extensions = new ArrayList<>();
        for (String ext : s.get("extensions").isPresent() ? s.getList("extensions") : List.of("php")) {
            String e = (ext.startsWith(".") ? ext.substring(1) : ext).toLowerCase(Locale.ROOT);
            if (e.isEmpty() || e.contains("/") || e.contains(".")) throw s.invalid("extensions", "'" + ext + "' is not a file extension");
            extensions.add(e);
        }
        if (extensions.isEmpty()) throw s.invalid("extensions", "no extension given");

        List<String> index = s.get("index").isPresent() ? s.getList("index") : List.of("index.php");
        for (String name : index) {
            if (name.contains("/") || name.startsWith(".") || !extensions.contains(extension(name))) {
                throw s.invalid("index", "'" + name + "' is not a plain script name with one of the extensions " + extensions);
            }
        }

        Optional<String> front = s.get("front-controller");
        if (front.isPresent()) {
            String f = front.get();
            if (!f.startsWith("/") || f.contains("//") || f.contains("/.") || !extensions.contains(extension(f))) {
                throw s.invalid("front-controller", "'" + f + "' is not a path like /index.php to a script with one of the extensions " + extensions);
            }
        }

        Duration connect = s.getDuration("connect-timeout", Duration.ofSeconds(5));
        Duration answer = s.getDuration("answer-timeout", Duration.ofSeconds(60));
        if (connect.isZero() || connect.isNegative()) throw s.invalid("connect-timeout", "must be positive");
        if (answer.isZero() || answer.isNegative()) throw s.invalid("answer-timeout", "must be positive");
        Duration idle = s.getDuration("idle-timeout", Duration.ofSeconds(60));
        if (idle.isZero() || idle.isNegative()) throw s.invalid("idle-timeout", "must be positive");
        // Debian's pool has pm.max_children = 5: a larger default would hang requests there (see ConnectionPool)
        int max = s.getInt("max-connections", 5);
        if (max < 1 || max > 10_000) throw s.invalid("max-connections", "must be 1 to 10000");

        List<String> params = new ArrayList<>();
        for (String key : s.keys()) {
            if (!key.startsWith(PARAM)) continue;
            String name = key.substring(PARAM.length());
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) throw s.invalid(key, "'" + name + "' is not a CGI variable name");
            params.add(name);
            params.add(s.get(key).orElse(""));
        }
        return new FastCgiSettings(address, text, List.copyOf(extensions), List.copyOf(index), front, connect, answer, idle, max,
                s.getBoolean("pass-authorization", false), List.copyOf(params));
    }

    /** The lower-case extension of a file name, or "" if it has none. */
    static String extension(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return dot <= slash + 1 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** {@code unix:/abs/path.sock} or {@code HOST:PORT} ({@code [v6]:PORT}); the host is looked up when connecting. */
    private static SocketAddress parseAddress(Settings s, String text) {
        if (text.startsWith("unix:")) {
            Path path = Path.of(text.substring(5));
            if (!path.isAbsolute()) throw s.invalid("address", "the socket path must be absolute: " + text);
            return UnixDomainSocketAddress.of(path);
        }
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw s.invalid("address", "'" + text + "' is neither unix:/path/to.sock nor HOST:PORT");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
