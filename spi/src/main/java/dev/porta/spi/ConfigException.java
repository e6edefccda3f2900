package dev.porta.spi;

/**
 * A configuration that Porta cannot run with. Its message names where the problem is and what it is, as
 * {@code FILE:LINE: problem}; Porta prints it and exits without serving. Plugins get one from
 * {@link Settings#invalid(String, String)}.
 */
public final class ConfigException extends RuntimeException {

    /** A problem whose message already says where it is. */
    public ConfigException(String message) {
        super(message);
    }

    /** A problem with a cause, e.g. an unreadable file. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
