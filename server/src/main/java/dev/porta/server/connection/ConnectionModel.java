package dev.porta.server.connection;

import java.util.Locale;

/**
 * How a keep-alive connection waits between requests. Both serve an exchange the same way, on a virtual
 * thread with blocking I/O; they differ only in what an idle connection holds. Chosen by the system
 * property {@value #PROPERTY} ({@code thread} or {@code selector}) while both are measured side by side.
 */
public enum ConnectionModel {
    /** A virtual thread per connection for its whole life, blocked in a read while idle. */
    THREAD,
    /** A virtual thread per active connection; idle ones wait in Porta's selector, holding no thread. */
    SELECTOR;

    /** The system property that chooses the model. */
    public static final String PROPERTY = "porta.connections";

    /** The model the system property names (the thread model when unset). */
    public static ConnectionModel fromSystemProperty() {
        return of(System.getProperty(PROPERTY, "thread"));
    }

    /** The model named {@code name} ({@code thread} or {@code selector}, any case). */
    public static ConnectionModel of(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "thread" -> THREAD;
            case "selector" -> SELECTOR;
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + name + ": expected thread or selector");
        };
    }
}
