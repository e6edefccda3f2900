package dev.porta.plugins.status;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recent exchanges in a fixed ring: adding never blocks and never grows memory; the oldest is
 * overwritten. Readers copy what they need, newest first.
 */
final class RecentRequests {

    private final AtomicReferenceArray<RecentRequest> ring;
    private final AtomicLong added = new AtomicLong();

    RecentRequests(int capacity) {
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    void add(RecentRequest r) {
        long n = added.getAndIncrement();
        ring.set((int) (n % ring.length()), r);
    }

    /** Up to {@code limit} requests that pass {@code filter}, newest first. */
    List<RecentRequest> newest(RequestFilter filter, int limit) {
        List<RecentRequest> out = new ArrayList<>();
        long last = added.get() - 1;
        for (long i = last; i >= 0 && i > last - ring.length() && out.size() < limit; i--) {
            RecentRequest r = ring.get((int) (i % ring.length()));
            if (r != null && r.matches(filter)) out.add(r);
        }
        return out;
    }

    /** The durations of all the requests held, in microseconds, unsorted. */
    long[] durations() {
        long[] out = new long[ring.length()];
        int n = 0;
        for (int i = 0; i < ring.length(); i++) {
            RecentRequest r = ring.get(i);
            if (r != null) out[n++] = r.micros();
        }
        return java.util.Arrays.copyOf(out, n);
    }

    int capacity() {
        return ring.length();
    }
}
