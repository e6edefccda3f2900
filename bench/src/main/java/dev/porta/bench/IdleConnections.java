package dev.porta.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N keep-alive connections, makes one request on each (so that each is a served, idle keep-alive
 * connection), prints "HOLDING N", and holds them until its standard input closes or the time runs out.
 * Loopback only.
 */
public final class IdleConnections {

    private IdleConnections() {
    }

    /** {@code IdleConnections PORT COUNT PATH SECONDS}. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        String path = args[2];
        long seconds = Long.parseLong(args[3]);
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Socket> held = new ArrayList<>(count);
        byte[] buf = new byte[64 * 1024];
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            readOneResponse(in, buf);
            held.add(s);
        }
        System.out.println("HOLDING " + held.size());
        System.out.flush();
        long deadline = System.currentTimeMillis() + seconds * 1000;
        while (System.currentTimeMillis() < deadline && System.in.available() >= 0) {
            if (System.in.available() > 0 && System.in.read() < 0) break;
            Thread.sleep(100);
        }
        for (Socket s : held) s.close();
    }

    private static void readOneResponse(InputStream in, byte[] buf) throws Exception {
        // small bodies only: read the head, then Content-Length bytes
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) break;
        }
        String h = head.toString().toLowerCase();
        int i = h.indexOf("content-length:");
        long n = i < 0 ? 0 : Long.parseLong(h.substring(i + 15, h.indexOf("\r\n", i)).strip());
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) break;
            n -= r;
        }
    }
}
