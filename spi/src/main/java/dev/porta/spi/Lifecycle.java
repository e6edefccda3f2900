package dev.porta.spi;

/**
 * Check, start and stop of an extension. PF4J creates extensions with no arguments; Porta creates each
 * extension class of a plugin once, even when it implements both {@link Handler} and
 * {@link ExchangeObserver} (one instance serves as both, and is checked, started and stopped once).
 * {@link #start(PluginContext)} runs before the server serves the first request, {@link #stop()} at
 * shutdown after the last request finished; {@link #check(PluginContext)} may run on its own, without
 * either, to validate a config before it is used.
 */
public interface Lifecycle {

    /**
     * Validates the plugin's settings and the files they name, <em>without side effects</em>: reads
     * settings and files, and reports the first problem; opens no file for writing (no log file), creates
     * nothing (folders included: {@link PluginContext#dataDirectory()} creates nothing here), starts no
     * thread, touches no network, and keeps no state that {@code start} relies on. Porta calls it to check
     * a config without running it (a future {@code porta check}, and a config reload before it replaces
     * the running one), possibly on an instance that is never started, possibly while another instance
     * of the same class serves. {@code start} may call it to validate before it acts.
     *
     * <p>Read every setting the plugin knows here, as in {@code start}: after {@code check}, a key that no
     * extension of the plugin read is reported as unknown ({@code FILE:LINE: unknown key ...}).
     *
     * <p>The default reads nothing and accepts anything. When no extension of a plugin reads any of its
     * settings in {@code check}, Porta cannot tell its unknown keys from the known ones: it reports none
     * of them as unknown, and says that the plugin's settings are checked only when it starts.
     *
     * @param context the plugin's settings and the server's facts
     * @throws ConfigException for a bad setting or file ({@link Settings#invalid} names file and line)
     */
    default void check(PluginContext context) {
    }

    /**
     * Reads the plugin's settings and prepares its state. Called once per instance, on the main thread,
     * before the server accepts connections. Every setting the plugin's config has must be read here: a
     * key that no {@code start} read is reported as unknown and stops Porta.
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
