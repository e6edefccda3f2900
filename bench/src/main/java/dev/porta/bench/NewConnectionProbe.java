package dev.porta.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How long a newcomer waits while the server is busy: opens COUNT fresh connections, one every EVERY_MS,
 * each sending one GET of PATH; the time from before {@code connect} to the last byte of the first response
 * is that connection's first-response time. Prints one line: {@code PROBE n p50 p99 max} (milliseconds;
 * a connection that fails or takes over 10 s counts as 10 s). bench/run runs it while wrk keeps s1's 64
 * busy keep-alive connections. Loopback only.
 */
public final class NewConnectionProbe {

    private NewConnectionProbe() {
    }

    /** {@code NewConnectionProbe PORT PATH COUNT EVERY_MS}. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        int count = Integer.parseInt(args[2]);
        long everyMs = Long.parseLong(args[3]);
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        double[] ms = new double[count];
        byte[] buf = new byte[64 * 1024];
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            next += everyMs * 1_000_000;
            long start = System.nanoTime();
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
                InputStream in = s.getInputStream();
                while (in.read(buf) >= 0) {
                    // Connection: close: the response ends with the stream
                }
                ms[i] = (System.nanoTime() - start) / 1e6;
            } catch (Exception e) {
                ms[i] = 10_000;
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("PROBE %d %.2f %.2f %.2f%n", count, pct(sorted, 50), pct(sorted, 99), sorted[count - 1]);
        System.out.println("ALL " + Arrays.toString(ms));
    }

    private static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
