package dev.porta.bench.soak;

import dev.porta.bench.soak.HttpClient11.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * bench/soak's traffic, sampler and verdict. Mixed traffic on loopback for the given minutes against a
 * running Porta (plain HTTP and HTTPS): keep-alive GETs of a small and a large file, ranges (one, several,
 * unsatisfiable), conditional GETs (304), right logins and wrong ones from addresses of their own until they
 * are locked out (429), slow clients (a head in pieces, a slow reader), a stalled head (408), aborted
 * downloads and pipelined requests, each answer checked. Every minute the traffic pauses, the process is
 * sampled ({@link Sample}) and the traffic resumes. At the end: heap after GC and RSS of the last minute
 * within 10 % of minute 5, descriptors and threads within 5, no unexpected answer and no ERROR in the
 * server's log, and one access-log line per request sent. Exit status 0 when all hold.
 */
public final class Soak {

    private static final String SMALL = "/small.html";
    private static final String LARGE = "/large.bin";
    private static final String PRIVATE = "/private/secret.html";

    private final Options o;
    private final SSLContext tls;
    private final Random seed = new Random(20);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicInteger attacker = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> errorLog = new ConcurrentLinkedQueue<>();
    private final long smallLength;
    private final long largeLength;
    private volatile boolean stopping;
    private volatile boolean paused;
    private final AtomicInteger busy = new AtomicInteger();
    private final java.util.Map<String, AtomicLong> byScenario = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** The command line: where Porta listens, what to sample, where to write. */
    record Options(int http, int https, long pid, int minutes, Path site, Path cert, String user, String password,
                   Path accessLog, Path serverLog, Path out, Path plot, String jcmd, int workers, int pauseMillis) {

        static Options parse(String[] args) {
            java.util.Map<String, String> m = new java.util.HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) m.put(args[i], args[i + 1]);
            String[] userPass = m.get("--login").split(":", 2);
            return new Options(Integer.parseInt(m.get("--http")), Integer.parseInt(m.get("--https")), Long.parseLong(m.get("--pid")),
                    Integer.parseInt(m.get("--minutes")), Path.of(m.get("--site")), Path.of(m.get("--cert")), userPass[0], userPass[1],
                    Path.of(m.get("--access-log")), Path.of(m.get("--server-log")), Path.of(m.get("--out")), Path.of(m.get("--plot")),
                    m.getOrDefault("--jcmd", "jcmd"), Integer.parseInt(m.getOrDefault("--workers", "6")),
                    Integer.parseInt(m.getOrDefault("--pause-ms", "50")));
        }
    }

    private Soak(Options o) throws Exception {
        this.o = o;
        this.tls = trusting(o.cert());
        this.smallLength = Files.size(o.site().resolve(SMALL.substring(1)));
        this.largeLength = Files.size(o.site().resolve(LARGE.substring(1)));
    }

    public static void main(String[] args) throws Exception {
        System.exit(new Soak(Options.parse(args)).run() ? 0 : 1);
    }

    private boolean run() throws Exception {
        // what the server logged before the soak (the start-up probes): counted out of the totals
        HttpClient11.sleep(1000);
        long before = countLogLines();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < o.workers(); i++) {
            long s = seed.nextLong();
            threads.add(Thread.ofVirtual().name("soak-mixed-" + i).start(() -> loop(new Random(s), this::mixed, o.pauseMillis())));
        }
        threads.add(Thread.ofVirtual().name("soak-attacker").start(() -> loop(new Random(1), r -> wrongLogins(), 30_000)));
        threads.add(Thread.ofVirtual().name("soak-stalled").start(() -> loop(new Random(2), r -> stalledHead(), 20_000)));

        List<Sample> samples = new ArrayList<>();
        Files.createDirectories(o.out());
        Path csv = o.out().resolve("samples.csv");
        Files.writeString(csv, Sample.CSV_HEADER + "\n");
        long start = System.nanoTime();
        for (int minute = 1; minute <= o.minutes(); minute++) {
            long due = start + minute * 60_000_000_000L;
            while (System.nanoTime() < due) HttpClient11.sleep(Math.min(1000, Math.max(1, (due - System.nanoTime()) / 1_000_000)));
            quiesce();
            Sample s = Sample.take(o.pid(), o.jcmd(), minute, requests.get(), errors.get());
            paused = false;
            samples.add(s);
            Files.writeString(csv, s.csv() + "\n", java.nio.file.StandardOpenOption.APPEND);
            System.out.printf("soak: minute %2d  heap after GC %6.1f MiB  RSS %6.1f MiB  fds %4d  threads %3d  requests %8d  errors %d%n",
                    minute, s.heapKb() / 1024.0, s.rssKb() / 1024.0, s.fds(), s.threads(), s.requests(), s.errors());
        }
        stopping = true;
        for (Thread t : threads) t.join();
        return verdict(samples, before);
    }

    /** Lets the workers finish what they do, so that the sample sees the server between exchanges. */
    private void quiesce() {
        paused = true;
        long until = System.nanoTime() + 15_000_000_000L;
        while (busy.get() > 0 && System.nanoTime() < until) HttpClient11.sleep(50);
        HttpClient11.sleep(1000); // the server closes its side of the connections the clients just closed
    }

    private interface Scenario {
        void run(Random r) throws IOException;
    }

    private void loop(Random r, Scenario scenario, int pauseMillis) {
        while (!stopping) {
            while (paused && !stopping) HttpClient11.sleep(20);
            if (stopping) return;
            busy.incrementAndGet();
            try {
                scenario.run(r);
            } catch (IOException | RuntimeException e) {
                error("exception: " + e);
            } finally {
                busy.decrementAndGet();
            }
            for (long slept = 0; slept < pauseMillis && !stopping && !paused; slept += Math.min(pauseMillis, 200)) {
                HttpClient11.sleep(Math.min(pauseMillis, 200));
            }
        }
    }

    private void mixed(Random r) throws IOException {
        boolean secure = r.nextBoolean();
        int pick = r.nextInt(100);
        String name;
        if (pick < 25) { name = "keep-alive small"; keepAliveSmall(secure); }
        else if (pick < 33) { name = "large"; large(secure); }
        else if (pick < 43) { name = "ranges"; ranges(secure); }
        else if (pick < 56) { name = "conditional 304"; conditional(secure); }
        else if (pick < 66) { name = "login right"; rightLogin(secure); }
        else if (pick < 71) { name = "aborted download"; aborted(secure); }
        else if (pick < 83) { name = "pipelining"; pipelined(secure); }
        else if (pick < 90) { name = "status"; status(secure); }
        else { name = "slow client"; slowClient(secure); }
        byScenario.computeIfAbsent(name + (secure ? " (https)" : " (http)"), k -> new AtomicLong()).incrementAndGet();
    }

    private HttpClient11 connect(boolean secure) throws IOException {
        return HttpClient11.open(secure ? o.https() : o.http(), null, secure ? tls : null);
    }

    /** Sends a request and counts it: the server owes an access-log line for each. */
    private void send(HttpClient11 c, String raw) throws IOException {
        c.write(raw);
        requests.incrementAndGet();
    }

    private void keepAliveSmall(boolean secure) throws IOException {
        try (HttpClient11 c = connect(secure)) {
            for (int i = 0; i < 20; i++) {
                send(c, HttpClient11.get(SMALL, ""));
                Response res = c.read("GET");
                expect(res.status() == 200 && res.body().length == smallLength, "small file: " + res.status() + ", " + res.body().length + " bytes");
            }
        }
    }

    private void large(boolean secure) throws IOException {
        try (HttpClient11 c = connect(secure)) {
            for (int i = 0; i < 2; i++) {
                send(c, HttpClient11.get(LARGE, ""));
                Response res = c.read("GET");
                expect(res.status() == 200 && String.valueOf(largeLength).equals(res.header("Content-Length")), "large file: " + res.status());
            }
        }
    }

    private void ranges(boolean secure) throws IOException {
        try (HttpClient11 c = connect(secure)) {
            send(c, HttpClient11.get(LARGE, "Range: bytes=0-99\r\n"));
            Response one = c.read("GET");
            expect(one.status() == 206 && one.body().length == 100, "one range: " + one.status() + ", " + one.body().length);
            send(c, HttpClient11.get(LARGE, "Range: bytes=0-9, 1000-1099\r\n"));
            Response two = c.read("GET");
            expect(two.status() == 206 && String.valueOf(two.header("Content-Type")).startsWith("multipart/byteranges"), "two ranges: " + two.status());
            send(c, HttpClient11.get(SMALL, "Range: bytes=" + (smallLength + 10) + "-\r\n"));
            Response none = c.read("GET");
            expect(none.status() == 416, "unsatisfiable range: " + none.status());
            send(c, HttpClient11.get(SMALL, "Range: bytes=0-9\r\nIf-Range: \"not-the-etag\"\r\n"));
            Response whole = c.read("GET");
            expect(whole.status() == 200 && whole.body().length == smallLength, "If-Range mismatch: " + whole.status());
        }
    }

    private void conditional(boolean secure) throws IOException {
        try (HttpClient11 c = connect(secure)) {
            send(c, HttpClient11.get(SMALL, ""));
            Response first = c.read("GET");
            expect(first.status() == 200 && first.header("ETag") != null, "conditional, first: " + first.status());
            if (first.header("ETag") == null) return;
            send(c, HttpClient11.get(SMALL, "If-None-Match: " + first.header("ETag") + "\r\n"));
            Response etag = c.read("GET");
            expect(etag.status() == 304, "If-None-Match: " + etag.status());
            send(c, HttpClient11.get(SMALL, "If-Modified-Since: " + first.header("Last-Modified") + "\r\n"));
            Response date = c.read("GET");
            expect(date.status() == 304, "If-Modified-Since: " + date.status());
        }
    }

    private void rightLogin(boolean secure) throws IOException {
        String basic = Base64.getEncoder().encodeToString((o.user() + ":" + o.password()).getBytes(StandardCharsets.UTF_8));
        try (HttpClient11 c = connect(secure)) {
            send(c, HttpClient11.get(PRIVATE, ""));
            Response anonymous = c.read("GET");
            expect(anonymous.status() == 401, "no login: " + anonymous.status());
            send(c, HttpClient11.get(PRIVATE, "Authorization: Basic " + basic + "\r\n"));
            Response in = c.read("GET");
            expect(in.status() == 200, "right login: " + in.status());
        }
    }

    /** Wrong passwords from an address of its own: 401 nine times, then 429 (the 10th locks the client out). */
    private void wrongLogins() throws IOException {
        int n = attacker.incrementAndGet();
        InetAddress from = InetAddress.getByAddress(new byte[] {127, 2, (byte) (n / 250), (byte) (1 + n % 250)});
        String basic = Base64.getEncoder().encodeToString((o.user() + ":wrong-" + n).getBytes(StandardCharsets.UTF_8));
        try (HttpClient11 c = HttpClient11.open(o.http(), from, null)) {
            for (int i = 1; i <= 12; i++) {
                send(c, HttpClient11.get(PRIVATE, "Authorization: Basic " + basic + "\r\n"));
                Response res = c.read("GET");
                int want = i < 10 ? 401 : 429; // the 10th failure is the one that locks the client out
                expect(res.status() == want, "wrong login " + i + " from " + from.getHostAddress() + ": " + res.status() + ", expected " + want);
                if (res.status() != want) return;
            }
        }
        byScenario.computeIfAbsent("wrong logins to lockout (http)", k -> new AtomicLong()).incrementAndGet();
    }

    private void aborted(boolean secure) throws IOException {
        HttpClient11 c = connect(secure);
        try {
            send(c, HttpClient11.get(LARGE, ""));
            Response res = c.read("GET", 100_000, 0);
            expect(res.status() == 200, "download before the abort: " + res.status());
        } finally {
            c.abort();
        }
    }

    private void pipelined(boolean secure) throws IOException {
        try (HttpClient11 c = connect(secure)) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 8; i++) batch.append(HttpClient11.get(i % 2 == 0 ? SMALL : "/missing-" + i, ""));
            c.write(batch.toString());
            requests.addAndGet(8);
            for (int i = 0; i < 8; i++) {
                Response res = c.read("GET");
                int want = i % 2 == 0 ? 200 : 404;
                expect(res.status() == want, "pipelined #" + i + ": " + res.status());
            }
        }
    }

    private void status(boolean secure) throws IOException {
        try (HttpClient11 c = connect(secure)) {
            send(c, HttpClient11.get("/porta/health", ""));
            expect(c.read("GET").status() == 200, "health");
            send(c, HttpClient11.get("/porta/metrics", ""));
            Response metrics = c.read("GET");
            expect(metrics.status() == 200 && new String(metrics.body(), StandardCharsets.UTF_8).contains("porta_requests_total"), "metrics");
        }
    }

    /** A head sent in six pieces, 300 ms apart, then the large file read 64 KiB at a time, 20 ms apart. */
    private void slowClient(boolean secure) throws IOException {
        try (HttpClient11 c = connect(secure)) {
            String head = HttpClient11.get(LARGE, "Accept: */*\r\n");
            int piece = head.length() / 6 + 1;
            for (int at = 0; at < head.length(); at += piece) {
                c.write(head.substring(at, Math.min(head.length(), at + piece)));
                if (at == 0) requests.incrementAndGet();
                HttpClient11.sleep(300);
            }
            Response res = c.read("GET", Long.MAX_VALUE, 20);
            expect(res.status() == 200, "slow client: " + res.status());
        }
    }

    /** Half a head, then nothing: the server answers 408 after timeouts.header (and logs it). */
    private void stalledHead() throws IOException {
        try (HttpClient11 c = HttpClient11.open(o.http(), null, null)) {
            c.write("GET " + SMALL + " HTTP/1.1\r\nHost: localhost\r\n");
            requests.incrementAndGet();
            Response res = c.read("GET");
            expect(res.status() == 408, "stalled head: " + res.status());
        }
        byScenario.computeIfAbsent("stalled head, 408 (http)", k -> new AtomicLong()).incrementAndGet();
    }

    private void expect(boolean ok, String what) {
        if (!ok) error(what);
    }

    private void error(String what) {
        errors.incrementAndGet();
        if (errorLog.size() < 50) errorLog.add(what);
    }

    private boolean verdict(List<Sample> samples, long before) throws Exception {
        HttpClient11.sleep(2000);
        long metricsTotal = metricsRequestsTotal() - before;
        long sent = requests.get();
        long logLines = waitForLogLines(before + sent + 1) - before;
        long serverErrors = serverLogErrors();
        System.out.println();
        System.out.println("soak: scenarios run:");
        byScenario.forEach((k, v) -> System.out.printf("  %-34s %d%n", k, v.get()));
        errorLog.forEach(e -> System.out.println("soak: unexpected: " + e));

        List<String> failures = new ArrayList<>();
        if (samples.isEmpty()) failures.add("no sample");
        else {
            Sample last = samples.get(samples.size() - 1);
            Sample base = samples.get(Math.min(4, samples.size() - 1));
            System.out.printf("%nsoak: minute %d against minute %d:%n", last.minute(), base.minute());
            within(failures, "heap after GC (KiB)", base.heapKb(), last.heapKb(), 0.10);
            within(failures, "RSS (KiB)", base.rssKb(), last.rssKb(), 0.10);
            near(failures, "open descriptors", base.fds(), last.fds(), 5);
            near(failures, "threads", base.threads(), last.threads(), 5);
        }
        System.out.printf("  requests sent %d (+1: the final scrape of /porta/metrics), access-log lines %d, porta_requests_total %d (before the scrape)"
                + " (%d start-up probes left out)%n", sent, logLines, metricsTotal, before);
        if (logLines != sent + 1) failures.add("access-log lines " + logLines + " != requests sent " + (sent + 1) + " (with the scrape)");
        if (metricsTotal != sent) failures.add("porta_requests_total " + metricsTotal + " != requests sent before the scrape " + sent);
        System.out.printf("  unexpected answers %d, ERROR lines in the server log %d%n", errors.get(), serverErrors);
        if (errors.get() > 0) failures.add(errors.get() + " unexpected answer(s)");
        if (serverErrors > 0) failures.add(serverErrors + " ERROR line(s) in the server log");
        SoakPlot.write(samples, String.format(Locale.ROOT, "Porta soak: %d min, %d requests, %d errors", o.minutes(), sent, errors.get()), o.plot());
        System.out.println("soak: samples in " + o.out().resolve("samples.csv") + ", plot in " + o.plot());
        if (failures.isEmpty()) {
            System.out.println("soak: PASS");
            return true;
        }
        failures.forEach(f -> System.out.println("soak: FAIL " + f));
        return false;
    }

    private static void within(List<String> failures, String what, long base, long last, double share) {
        double change = base == 0 ? 0 : (double) (last - base) / base;
        System.out.printf("  %-22s %10d -> %10d  (%+.1f %%, limit ±%.0f %%)%n", what, base, last, change * 100, share * 100);
        if (Math.abs(change) > share) failures.add(what + " changed by " + String.format("%+.1f %%", change * 100));
    }

    private static void near(List<String> failures, String what, long base, long last, long limit) {
        System.out.printf("  %-22s %10d -> %10d  (%+d, limit ±%d)%n", what, base, last, last - base, limit);
        if (Math.abs(last - base) > limit) failures.add(what + " changed by " + (last - base));
    }

    /** The sum of porta_requests_total, read with one more request, which it does not count yet. */
    private long metricsRequestsTotal() throws IOException {
        try (HttpClient11 c = HttpClient11.open(o.http(), null, null)) {
            c.write(HttpClient11.get("/porta/metrics", ""));
            Response res = c.read("GET");
            double sum = 0;
            for (String line : new String(res.body(), StandardCharsets.UTF_8).lines().toList()) {
                if (line.startsWith("porta_requests_total{")) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
            return Math.round(sum);
        }
    }

    /**
     * Counts the access log's lines, waiting for its writer to catch up. request-log writes
     * {@code access.DATE.N.log} files and keeps {@code access.log} as a hard link to the current one: the
     * dated files are counted (access.log alone when there are none).
     */
    private long waitForLogLines(long expected) throws IOException {
        for (int i = 0; i < 50 && countLogLines() < expected; i++) HttpClient11.sleep(200);
        HttpClient11.sleep(1000); // and any line more than expected would show by now
        return countLogLines();
    }

    private long countLogLines() throws IOException {
        List<Path> dated;
        try (Stream<Path> files = Files.list(o.accessLog().getParent())) {
            dated = files.filter(p -> p.getFileName().toString().matches("access\\..+\\.log")).toList();
        }
        long lines = 0;
        for (Path f : dated.isEmpty() ? List.of(o.accessLog()) : dated) {
            if (Files.exists(f)) lines += countLines(f);
        }
        return lines;
    }

    private static long countLines(Path file) throws IOException {
        long n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[65536];
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) if (buf[i] == '\n') n++;
            }
        }
        return n;
    }

    private long serverLogErrors() throws IOException {
        if (!Files.exists(o.serverLog())) return 0;
        try (Stream<String> lines = Files.lines(o.serverLog(), StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(" ERROR ") || l.startsWith("ERROR")).peek(l -> System.out.println("soak: server log: " + l)).count();
        }
    }

    private static SSLContext trusting(Path certPem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certPem)) {
            store.setCertificateEntry("soak", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
