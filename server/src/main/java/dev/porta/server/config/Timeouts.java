package dev.porta.server.config;

import java.time.Duration;

/**
 * How long Porta waits on a client, and on itself at shutdown.
 *
 * @param header the whole request head must arrive within this, counted from its first byte (408
 *               after); a client trickling bytes is cut off when it runs out, not when it stops
 * @param idle   how long a kept-alive connection may wait for its next request (closed quietly after)
 * @param body   longest pause between two reads of a request body (408 after)
 * @param write  longest time one write to the client may block (a client that stops reading is cut off)
 * @param grace  at shutdown, how long requests in flight may take to finish
 * @param drain  at shutdown, how long Porta goes on accepting and serving while it reports that it is
 *               draining (health checks fail), so that a load balancer takes it out before the listener
 *               closes; 0 (the default) closes it at once
 */
public record Timeouts(Duration header, Duration idle, Duration body, Duration write, Duration grace, Duration drain) {

    /** The built-in defaults. */
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(20), Duration.ofSeconds(60),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ZERO);

    static Timeouts read(ConfigSettings s) {
        return new Timeouts(
                positive(s, "header", s.getDuration("header", DEFAULTS.header)),
                positive(s, "idle", s.getDuration("idle", DEFAULTS.idle)),
                positive(s, "body", s.getDuration("body", DEFAULTS.body)),
                positive(s, "write", s.getDuration("write", DEFAULTS.write)),
                s.getDuration("grace", DEFAULTS.grace),
                s.getDuration("drain", DEFAULTS.drain));
    }

    private static Duration positive(ConfigSettings s, String key, Duration d) {
        if (d.isZero()) throw s.invalid(key, "must be longer than 0");
        return d;
    }
}
