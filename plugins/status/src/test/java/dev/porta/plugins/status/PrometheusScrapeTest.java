package dev.porta.plugins.status;

import static dev.porta.plugins.status.StatusServer.send;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porta.testkit.PortaTestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus, on loopback, scrapes Porta until the target is up and a counter matches the traffic. */
class PrometheusScrapeTest {

    @TempDir
    Path root;

    @Test
    @Timeout(60)
    void prometheusScrapesPortaAndSeesTheRequestsSent() throws Exception {
        Optional<Path> prometheus = Tools.find("prometheus");
        Assumptions.assumeTrue(prometheus.isPresent(), "prometheus is not installed (apt-get install prometheus): real scrape not tested");
        try (PortaTestServer server = StatusServer.start(root, "")) {
            for (int i = 0; i < 7; i++) send(server, "PUT", "/hello");
            int port = freePort();
            Path config = Files.writeString(root.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 900ms
                    scrape_configs:
                      - job_name: porta
                        metrics_path: /porta/metrics
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(server.port()));
            Process p = new ProcessBuilder(prometheus.get().toString(), "--config.file=" + config,
                    "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + root.resolve("tsdb"))
                    .redirectErrorStream(true).redirectOutput(root.resolve("prometheus.log").toFile()).start();
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
                boolean up = false;
                boolean counted = false;
                while (!(up && counted) && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    up = query(http, port, "up{job=\"porta\"}").contains("\"value\":[") && query(http, port, "up{job=\"porta\"} == 1").contains("\"value\":[");
                    counted = query(http, port, "porta_requests_total{job=\"porta\",method=\"PUT\",status_class=\"2xx\"}").contains("\"7\"]");
                }
                assertTrue(up, "Porta's target is up; prometheus said:\n" + Files.readString(root.resolve("prometheus.log")));
                assertTrue(counted, "the PUT counter is 7: " + query(http, port, "porta_requests_total{method=\"PUT\"}"));
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    private static String query(HttpClient http, int port, String promql) {
        try {
            URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return e.toString(); // not listening yet
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
