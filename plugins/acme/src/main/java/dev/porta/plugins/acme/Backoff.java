package dev.porta.plugins.acme;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When to try again after failures: {@code first}, doubled with each failure in a row, at most
 * {@code longest}; later still when the CA asked for it (a rate limit's {@code Retry-After}).
 *
 * @param first   the wait after the first failure
 * @param longest the longest wait
 */
record Backoff(Duration first, Duration longest) {

    /** One minute, doubling up to six hours: quick after a blip, gentle with a CA that is down or refuses. */
    static final Backoff DEFAULT = new Backoff(Duration.ofMinutes(1), Duration.ofHours(6));

    /** The wait after {@code failures} failures in a row (1 or more). */
    Duration after(int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 30);
        Duration wait = first.multipliedBy(1L << doublings);
        return wait.compareTo(longest) > 0 || wait.isNegative() ? longest : wait;
    }

    /** The time of the next try: {@link #after} from {@code now}, or the CA's {@code retryAfter} if later. */
    Instant next(Instant now, int failures, Optional<Instant> retryAfter) {
        Instant next = now.plus(after(failures));
        return retryAfter.filter(r -> r.isAfter(next)).orElse(next);
    }
}
