package dev.porta.plugins.status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The most frequent keys (paths, clients) in bounded memory: the Space-Saving sketch (Metwally et al.).
 * It keeps at most {@code capacity} counters; a new key takes over the smallest one and inherits its
 * count, so the counts are upper bounds and any key seen more often than 1/capacity of the time is kept.
 * A flood of distinct paths therefore costs no more memory than a few.
 */
final class TopCounts {

    /** Keys longer than this are cut: a long path must not make one counter large. */
    private static final int MAX_KEY = 200;

    private final int capacity;
    private final Map<String, long[]> counts = new HashMap<>();

    TopCounts(int capacity) {
        this.capacity = capacity;
    }

    /** Counts one more {@code key}. */
    synchronized void add(String key) {
        if (key.length() > MAX_KEY) key = key.substring(0, MAX_KEY) + "…";
        long[] count = counts.get(key);
        if (count != null) {
            count[0]++;
            return;
        }
        if (counts.size() < capacity) {
            counts.put(key, new long[] {1});
            return;
        }
        Map.Entry<String, long[]> smallest = null;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            if (smallest == null || e.getValue()[0] < smallest.getValue()[0]) smallest = e;
        }
        long inherited = smallest.getValue()[0];
        counts.remove(smallest.getKey());
        counts.put(key, new long[] {inherited + 1});
    }

    /** The {@code n} largest, largest first. */
    synchronized List<Map.Entry<String, Long>> top(int n) {
        List<Map.Entry<String, Long>> all = new ArrayList<>();
        counts.forEach((k, v) -> all.add(Map.entry(k, v[0])));
        all.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        return all.subList(0, Math.min(n, all.size()));
    }

    /** How many keys it holds now (at most the capacity). */
    synchronized int size() {
        return counts.size();
    }
}
