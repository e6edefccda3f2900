package dev.porta.server.config;

/**
 * Size and count limits on what a client may send and hold. Each has its own status when exceeded.
 *
 * @param requestLineBytes      longest request line (414 beyond; RFC 9112 asks for at least 8,000)
 * @param headerBytes           largest header block (431 beyond)
 * @param headerLineBytes       longest single header field line (431 beyond; 8k as nginx and Apache)
 * @param headerCount           most header fields (431 beyond)
 * @param bodyBytes             largest request body (413 beyond)
 * @param requestsPerConnection requests served on one connection before it is closed
 * @param maxConnections        open connections in all (a quick 503 and close beyond)
 * @param maxConnectionsPerClient open connections from one client address (503 beyond)
 */
public record Limits(int requestLineBytes, int headerBytes, int headerLineBytes, int headerCount, long bodyBytes,
                     int requestsPerConnection, int maxConnections, int maxConnectionsPerClient) {

    /** The built-in defaults. */
    public static final Limits DEFAULTS = new Limits(8192, 32768, 8192, 100, 10L << 20, 1000, 10_000, 256);

    /** The largest a size held in an {@code int} may be configured (so that buffer arithmetic cannot overflow). */
    static final long MAX_INT_SIZE = 1L << 30;

    public Limits {
        if (requestLineBytes < 64 || headerBytes < 256 || headerLineBytes < 64 || headerCount < 1 || bodyBytes < 0
                || requestsPerConnection < 1 || maxConnections < 1 || maxConnectionsPerClient < 1) {
            throw new IllegalArgumentException("limits out of range");
        }
    }

    static Limits read(ConfigSettings s) {
        int line = intSize(s, "request-line-bytes", DEFAULTS.requestLineBytes, 64);
        int header = intSize(s, "header-bytes", DEFAULTS.headerBytes, 256);
        int headerLine = intSize(s, "header-line-bytes", DEFAULTS.headerLineBytes, 64);
        int count = atLeast(s, "header-count", s.getInt("header-count", DEFAULTS.headerCount), 1);
        long body = s.getBytes("body-bytes", DEFAULTS.bodyBytes);
        int perConnection = atLeast(s, "requests-per-connection", s.getInt("requests-per-connection", DEFAULTS.requestsPerConnection), 1);
        int max = atLeast(s, "max-connections", s.getInt("max-connections", DEFAULTS.maxConnections), 1);
        int perClient = atLeast(s, "max-connections-per-client", s.getInt("max-connections-per-client", DEFAULTS.maxConnectionsPerClient), 1);
        return new Limits(line, header, headerLine, count, body, perConnection, max, perClient);
    }

    /** A size kept in an {@code int}: never narrowed, a value too large is an error. */
    private static int intSize(ConfigSettings s, String key, int fallback, int min) {
        long value = s.getBytes(key, fallback);
        if (value > MAX_INT_SIZE) throw s.invalid(key, "must be at most 1g");
        return atLeast(s, key, (int) value, min);
    }

    private static int atLeast(ConfigSettings s, String key, int value, int min) {
        if (value < min) throw s.invalid(key, "must be at least " + min);
        return value;
    }
}
