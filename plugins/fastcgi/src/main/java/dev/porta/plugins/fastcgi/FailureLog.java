package dev.porta.plugins.fastcgi;

/**
 * Which failures to log: the first at once, then at most one per period, saying how many were left out
 * since the last line. PHP-FPM down under load fails every request: one ERROR line each (2,071 in 7 s in
 * an outside test) would bury the log and fill its disk; the count keeps what the lines would have said.
 */
final class FailureLog {

    private final long periodNanos;
    private boolean started;
    private long lastLoggedNanos;
    private int leftOut;

    FailureLog(long periodNanos) {
        this.periodNanos = periodNanos;
    }

    /**
     * Whether the failure at {@code nowNanos} is to be logged: -1 when not (it is counted), else how many
     * were left out since the last line logged.
     */
    synchronized int admit(long nowNanos) {
        if (started && nowNanos - lastLoggedNanos < periodNanos) {
            leftOut++;
            return -1;
        }
        started = true;
        lastLoggedNanos = nowNanos;
        int n = leftOut;
        leftOut = 0;
        return n;
    }
}
