package dev.porta.plugins.requestlog;

import dev.porta.spi.Attributes;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.Headers;
import dev.porta.spi.Request;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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

/** The access-log formatters on a typical exchange: ns/op, and bytes allocated with -prof gc. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AccessLogFormatBenchmark {

    private final LogFormat combined = ApacheLogFormat.parse(ApacheLogFormat.COMBINED, ZoneOffset.UTC);
    private final LogFormat json = new JsonLinesFormat();
    private final CompletedExchange exchange;

    public AccessLogFormatBenchmark() {
        InetSocketAddress client = new InetSocketAddress("192.168.10.20", 51234);
        Attributes attributes = new Attributes();
        attributes.set(Attributes.USER, "alice");
        Request request = Request.builder().path("/assets/app.js").query("v=123")
                .headers(Headers.of("Host", "www.example.org", "Referer", "https://www.example.org/",
                        "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"))
                .client(client).body(new ByteArrayInputStream(new byte[0])).attributes(attributes).build();
        exchange = CompletedExchange.builder().request(request).requestLine("GET /assets/app.js?v=123 HTTP/1.1")
                .status(200).responseHeaders(Headers.of("Content-Type", "text/javascript")).bodyBytes(48213)
                .started(Instant.parse("2026-11-27T10:00:00Z")).duration(Duration.ofNanos(420_000)).build();
    }

    @Benchmark
    public String combined() {
        return combined.format(exchange);
    }

    @Benchmark
    public String jsonLines() {
        return json.format(exchange);
    }
}
