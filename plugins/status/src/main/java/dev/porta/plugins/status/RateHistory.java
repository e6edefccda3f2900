package dev.porta.plugins.status;

/**
 * Requests per second by status class over the last 15 minutes: one slot per second in a fixed ring, so
 * memory does not grow with traffic. Slot contents are reset when their second comes round again.
 */
final class RateHistory {

    static final int SECONDS = 900;
    /** 1xx–5xx, and one for anything else. */
    static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};

    private final long[][] counts = new long[SECONDS][CLASSES.length];
    private final long[] secondOfSlot = new long[SECONDS];

    /** Counts one exchange with {@code status} that ended at {@code epochSecond}. */
    synchronized void add(long epochSecond, int status) {
        int slot = slot(epochSecond);
        if (secondOfSlot[slot] != epochSecond) {
            java.util.Arrays.fill(counts[slot], 0);
            secondOfSlot[slot] = epochSecond;
        }
        counts[slot][classOf(status)]++;
    }

    /**
     * The counts of the {@link #SECONDS} seconds up to {@code nowSecond} (exclusive), oldest first, summed
     * into buckets of {@code bucketSeconds}: {@code [bucket][class]}.
     */
    synchronized long[][] buckets(long nowSecond, int bucketSeconds) {
        long[][] out = new long[SECONDS / bucketSeconds][CLASSES.length];
        for (int i = 0; i < SECONDS; i++) {
            long second = nowSecond - SECONDS + i;
            int slot = slot(second);
            if (secondOfSlot[slot] != second) continue;
            for (int c = 0; c < CLASSES.length; c++) out[i / bucketSeconds][c] += counts[slot][c];
        }
        return out;
    }

    static int classOf(int status) {
        return status >= 100 && status < 600 ? status / 100 - 1 : 5;
    }

    private static int slot(long second) {
        return (int) Math.floorMod(second, (long) SECONDS);
    }
}
