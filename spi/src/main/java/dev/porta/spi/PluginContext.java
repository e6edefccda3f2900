package dev.porta.spi;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tinylog.TaggedLogger;

/**
 * What Porta hands to each extension in {@link Lifecycle#check} and {@link Lifecycle#start}: the plugin's
 * settings and the server's facts. One context per plugin, shared by its extensions; safe to keep and to
 * use from any thread. Porta implements this interface, plugins never do: methods may be added to it in a
 * minor version of the SPI.
 */
public interface PluginContext {

    /** The id of the plugin (the prefix of its settings). */
    String pluginId();

    /** Where the server is in its life now: serving, or draining after a stop began (for health checks). */
    ServerState serverState();

    /** The plugin's own settings. */
    Settings settings();

    /** The site folder that Porta serves ({@code server.root}), absolute and real. */
    Path documentRoot();

    /**
     * The plugin's own folder for its data: {@code DATA-DIR/PLUGIN-ID/}, where {@code DATA-DIR} is
     * {@code server.data-dir}. The first call in {@link Lifecycle#start} (or later) creates it when
     * missing, {@code DATA-DIR} too, and gives the plugin's folder to Porta's user only (mode 700 where the
     * file system has POSIX permissions; a folder that exists keeps its mode). In
     * {@link Lifecycle#check} it only returns the path and creates nothing. Porta serves nothing under
     * {@code DATA-DIR} (unless the site folder itself lies in it, which Porta warns about at start).
     *
     * <p>Changed in SPI 1.0.0: before, this was {@code server.data-dir} itself, shared by all plugins, and
     * not created.
     *
     * @throws java.io.UncheckedIOException when the folder cannot be created
     */
    Path dataDirectory();

    /** The folder for log files ({@code server.log-dir}); it may not exist yet. */
    Path logDirectory();

    /**
     * The plugin's logger: tinylog's logger tagged with the plugin id, so that every line it writes names
     * the plugin in Porta's log ({@code INFO  [static-index] ...}). Porta provides tinylog; a plugin uses
     * {@code org.tinylog:tinylog-api} with scope {@code provided} and never bundles it.
     *
     * <pre>{@code
     * context.logger().info("serving {} from {}", count, folder);
     * }</pre>
     */
    TaggedLogger logger();

    /** The address Porta listens on ({@code server.host}): a wildcard address means every interface. */
    InetAddress listenAddress();

    /**
     * Registers a file that must never be served, wherever it lies (a users file, for instance). Content
     * handlers test {@link #isNeverServed(Path)} before they send a file. Porta registers its config file,
     * and its log and data folders with everything in them.
     */
    void neverServe(Path file);

    /**
     * Whether {@code file}, given by its real path (as {@link Path#toRealPath} returns it), was registered
     * with {@link #neverServe(Path)} or lies in a folder Porta never serves. It touches no file system, so a
     * handler may ask on every request; a path that is not real may be missed.
     */
    boolean isNeverServed(Path file);

    /** Porta's own version (its jar's {@code Implementation-Version}), or {@code unknown}: for a status page. */
    default String serverVersion() {
        return "unknown";
    }

    /**
     * The plugins that run, each id with its version ({@code Plugin-Version}), in load order: for a status
     * page. Complete once every extension has started; in {@link Lifecycle#check} and
     * {@link Lifecycle#start} it may still be empty.
     */
    default Map<String, String> plugins() {
        return Map.of();
    }

    /**
     * The handler chain as the requests go through it, as plugin ids, first first: for a status page.
     * Known once every extension has started (empty before); a server
     * without it gives an empty list.
     */
    default List<String> handlerChain() {
        return List.of();
    }

    /**
     * Tells Porta that a certificate this plugin's {@link CertificateProvider} serves has changed (obtained,
     * renewed, replaced): Porta forgets the answers it kept per host name and asks the provider again at
     * the next handshakes. Open connections keep the certificate they got. Safe to call from any thread,
     * at any time (before the server listens it does nothing that matters); cheap.
     *
     * @since 1.1.0
     */
    default void certificatesChanged() {
    }
}
