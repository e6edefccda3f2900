package dev.porta.server.config;

/**
 * Size and count limits on what a client may send and hold. Each has its own status when exceeded.
 *
 * @param requestLineBytes      longest request line (414 beyond; RFC 9112 asks for at least 8,000)
 * @param headerBytes           largest header block (431 beyond)
 * @param headerCount           most header fields (431 beyond)
 * @param bodyBytes             largest request body (413 beyond)
 * @param requestsPerConnection requests served on one connection before it is closed
 * @param maxConnections        open connections in all (a quick 503 and close beyond)
 * @param maxConnectionsPerClient open connections from one client address (503 beyond)
 */
public record Limits(int requestLineBytes, int headerBytes, int headerCount, long bodyBytes,
                     int requestsPerConnection, int maxConnections, int maxConnectionsPerClient) {

    /** The built-in defaults. */
    public static final Limits DEFAULTS = new Limits(8192, 32768, 100, 10L << 20, 1000, 10_000, 256);

    public Limits {
        if (requestLineBytes < 64 || headerBytes < 256 || headerCount < 1 || bodyBytes < 0
                || requestsPerConnection < 1 || maxConnections < 1 || maxConnectionsPerClient < 1) {
            throw new IllegalArgumentException("limits out of range");
        }
    }

    static Limits read(ConfigSettings s) {
        int line = atLeast(s, "request-line-bytes", (int) s.getBytes("request-line-bytes", DEFAULTS.requestLineBytes), 64);
        int header = atLeast(s, "header-bytes", (int) s.getBytes("header-bytes", DEFAULTS.headerBytes), 256);
        int count = atLeast(s, "header-count", s.getInt("header-count", DEFAULTS.headerCount), 1);
        long body = s.getBytes("body-bytes", DEFAULTS.bodyBytes);
        int perConnection = atLeast(s, "requests-per-connection", s.getInt("requests-per-connection", DEFAULTS.requestsPerConnection), 1);
        int max = atLeast(s, "max-connections", s.getInt("max-connections", DEFAULTS.maxConnections), 1);
        int perClient = atLeast(s, "max-connections-per-client", s.getInt("max-connections-per-client", DEFAULTS.maxConnectionsPerClient), 1);
        return new Limits(line, header, count, body, perConnection, max, perClient);
    }

    private static int atLeast(ConfigSettings s, String key, int value, int min) {
        if (value < min) throw s.invalid(key, "must be at least " + min);
        return value;
    }
}
