package dev.porta.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One minute's look at the server process: heap in use right after a full GC ({@code jcmd GC.run}, then
 * {@code GC.heap_info}: the live set, what a leak grows), resident memory, open descriptors and threads
 * (from {@code /proc}), and the soak's counts so far.
 *
 * @param minute    minutes since the traffic began
 * @param heapKb    heap used after a full GC, KiB (young and old generations; not Metaspace)
 * @param rssKb     resident set size, KiB
 * @param fds       open file descriptors
 * @param threads   the process's (platform) threads
 * @param requests  requests sent so far
 * @param errors    unexpected answers or failures so far
 */
record Sample(int minute, long heapKb, long rssKb, int fds, int threads, long requests, long errors) {

    static final String CSV_HEADER = "minute,heap_after_gc_kb,rss_kb,fds,threads,requests,errors";

    private static final Pattern USED = Pattern.compile("\\btotal\\s+\\d+K,\\s+used\\s+(\\d+)K");

    static Sample take(long pid, String jcmd, int minute, long requests, long errors) throws IOException {
        run(jcmd, Long.toString(pid), "GC.run");
        long heap = heapUsedKb(run(jcmd, Long.toString(pid), "GC.heap_info"));
        Path proc = Path.of("/proc", Long.toString(pid));
        long rss = 0;
        int threads = 0;
        for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("\\D", ""));
            if (line.startsWith("Threads:")) threads = Integer.parseInt(line.replaceAll("\\D", ""));
        }
        int fds;
        try (var list = Files.list(proc.resolve("fd"))) {
            fds = (int) list.count();
        }
        return new Sample(minute, heap, rss, fds, threads, requests, errors);
    }

    /**
     * The "used" of the heap in {@code GC.heap_info}: Serial prints a line per generation ({@code DefNew total
     * 19648K, used 0K}, {@code Tenured total ...}), G1 one ({@code garbage-first heap total ..., used ...});
     * the lines of their spaces say "N% used" and Metaspace's have no "total": neither is counted.
     */
    static long heapUsedKb(String heapInfo) {
        long used = 0;
        for (String line : heapInfo.lines().toList()) {
            if (line.contains("Metaspace") || line.contains("class space")) continue;
            Matcher m = USED.matcher(line);
            if (m.find()) used += Long.parseLong(m.group(1));
        }
        return used;
    }

    String csv() {
        return minute + "," + heapKb + "," + rssKb + "," + fds + "," + threads + "," + requests + "," + errors;
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " took more than 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + " failed: " + out);
        return out;
    }
}
