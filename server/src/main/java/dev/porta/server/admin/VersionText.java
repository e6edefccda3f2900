package dev.porta.server.admin;

import dev.porta.server.plugin.SpiVersion;

/** What {@code porta --version} prints: Porta's version, the plugin API's, and the Java runtime's. */
public final class VersionText {

    private VersionText() {
    }

    /** Three lines: {@code Porta 0.1.0}, {@code SPI 1.0.0}, {@code Java 25.0.1+8-LTS (vendor, home)}. */
    public static String text() {
        String porta = VersionText.class.getPackage().getImplementationVersion();
        return "Porta " + (porta == null ? "(unknown version: not run from its jar)" : porta) + "\n"
                + "SPI " + SpiVersion.running() + "\n"
                + "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ", "
                + System.getProperty("java.home", "?") + ")";
    }
}
