package dev.porta.server.plugin;

import dev.porta.spi.PluginContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the SPI this server runs with, as its build wrote it into the SPI jar
 * ({@code dev/porta/spi/porta-spi.properties}): the one place it is set is the build, never this code.
 */
public final class SpiVersion {

    private static final String RESOURCE = "porta-spi.properties";

    private SpiVersion() {
    }

    /** The SPI version on the class path, e.g. {@code 1.0.0}. */
    public static String running() {
        try (InputStream in = PluginContext.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the SPI jar has no " + RESOURCE + ": it was not built by Porta's build");
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version");
            if (version == null || version.isBlank() || version.startsWith("${")) {
                throw new IllegalStateException(RESOURCE + " in the SPI jar names no version: it was not filtered by the build");
            }
            return version.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
