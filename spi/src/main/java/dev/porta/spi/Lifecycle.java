package dev.porta.spi;

/**
 * Start and stop of an extension. PF4J creates extensions with no arguments; Porta creates each
 * extension class of a plugin once, even when it implements both {@link Handler} and
 * {@link ExchangeObserver} (one instance serves as both, and is started and stopped once), calls
 * {@link #start(PluginContext)} before it serves the first request, and {@link #stop()} at shutdown,
 * after the last request finished.
 */
public interface Lifecycle {

    /**
     * Reads the plugin's settings and prepares its state. Called once per instance, on the main thread, before the
     * server accepts connections. Every setting the plugin's config has must be read here: a key that no
     * {@code start} read is reported as unknown and stops Porta.
     *
     * @param context the plugin's settings and the server's facts
     * @throws ConfigException for a bad setting ({@link Settings#invalid} names file and line)
     * @throws Exception       for any other failure to start; Porta then does not start if the config
     *                         has settings for this plugin, and otherwise leaves the plugin out
     */
    default void start(PluginContext context) throws Exception {
    }

    /**
     * Releases what the plugin holds and flushes what it buffers (an access log writes its last lines
     * here). Called once at shutdown; exceptions are logged and ignored.
     */
    default void stop() {
    }
}
