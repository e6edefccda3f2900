package dev.porta.server.http;

import dev.porta.spi.http.HttpDates;
import java.time.Instant;

/** The {@code Date} header value (IMF-fixdate), formatted at most once per second. */
public final class HttpDate {

    private record Cached(long second, String text) {
    }

    private volatile Cached cached = new Cached(-1, "");

    /** The current time as an HTTP date. */
    public String now() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second != second) {
            c = new Cached(second, HttpDates.format(Instant.ofEpochSecond(second)));
            cached = c;
        }
        return c.text;
    }
}
