package dev.porta.bench;

import dev.porta.server.config.Limits;
import dev.porta.server.http.HttpInput;
import dev.porta.server.http.RequestHead;
import dev.porta.server.http.RequestHeadParser;
import dev.porta.server.http.RequestTarget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The request parser on a browser-like request head: ns/op, and bytes allocated with -prof gc. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestHeadParserBenchmark {

    private static final byte[] BROWSER = ("GET /assets/app.js?v=123 HTTP/1.1\r\n"
            + "Host: www.example.org\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Referer: https://www.example.org/\r\n"
            + "Connection: keep-alive\r\n"
            + "If-None-Match: \"65f1a2b3-1a2b\"\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] WRK = "GET /1k.bin HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final RequestHeadParser parser = new RequestHeadParser(Limits.DEFAULTS);

    @Benchmark
    public RequestHead browserHead() throws IOException {
        return parser.read(new HttpInput(new ByteArrayInputStream(BROWSER), HttpInput.ReadClock.NONE));
    }

    @Benchmark
    public RequestHead minimalHead() throws IOException {
        return parser.read(new HttpInput(new ByteArrayInputStream(WRK), HttpInput.ReadClock.NONE));
    }

    @Benchmark
    public RequestTarget encodedTarget() {
        return RequestTarget.parse("/caf%C3%A9/a/../b/%E6%BC%A2%E5%AD%97.txt?x=1");
    }
}
