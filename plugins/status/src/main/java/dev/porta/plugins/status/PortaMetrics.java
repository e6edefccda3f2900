package dev.porta.plugins.status;

import dev.porta.spi.Attributes;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ConnectionEvent;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;

/**
 * Porta's Prometheus metrics, in a registry of the plugin's own (never the library's global one, so that a
 * reloaded plugin starts clean), written in the text format 0.0.4. Label values come from small fixed
 * sets (methods outside the standard ones count as {@code other}), so the number of series is bounded.
 */
final class PortaMetrics {

    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram duration;
    private final Counter bytes;
    private final Counter refused;
    private final Counter answered;
    private final Counter loginFailures;
    private final Counter lockouts;
    private final Counter tlsRequests;
    private final Counter tlsHandshakes;

    PortaMetrics(Connections connections) {
        requests = Counter.builder().name("porta_requests_total").help("Exchanges finished, by method and status class")
                .labelNames("method", "status_class").register(registry);
        duration = Histogram.builder().name("porta_request_duration_seconds")
                .help("From the first byte of the request to the last byte of the response")
                .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        bytes = Counter.builder().name("porta_response_body_bytes_total").help("Response body bytes sent").register(registry);
        refused = Counter.builder().name("porta_connections_refused_total")
                .help("Connections refused (limit: limits.max-connections; per_client: limits.max-connections-per-client)"
                        + " or cut off by a read timeout (timeout: 408)")
                .labelNames("reason").register(registry);
        for (String reason : new String[] {"limit", "per_client", "timeout"}) refused.labelValues(reason);
        answered = Counter.builder().name("porta_plugin_responses_total")
                .help("Exchanges by the plugin that answered them (core: the server itself)").labelNames("plugin").register(registry);
        loginFailures = Counter.builder().name("porta_login_failures_total").help("Failed logins (wrong or malformed credentials)")
                .register(registry);
        lockouts = Counter.builder().name("porta_login_lockouts_total").help("Failed logins that locked their client out")
                .register(registry);
        tlsRequests = Counter.builder().name("porta_tls_requests_total").help("Exchanges over TLS, by protocol")
                .labelNames("protocol").register(registry);
        tlsHandshakes = Counter.builder().name("porta_tls_handshakes_total")
                .help("TLS handshakes on the HTTPS listener, by protocol (failed: they agreed on none)")
                .labelNames("protocol").register(registry);
        GaugeWithCallback.builder().name("porta_connections_open").help("Open client connections")
                .callback(cb -> cb.call(connections.open())).register(registry);
        GaugeWithCallback.builder().name("porta_connections_active").help("Open connections with a request being handled")
                .callback(cb -> cb.call(connections.active())).register(registry);
        GaugeWithCallback.builder().name("porta_connections_idle").help("Open connections waiting for their next request")
                .callback(cb -> cb.call(connections.idle())).register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmThreadsMetrics.builder().register(registry);
        ProcessMetrics.builder().register(registry); // CPU seconds, open and max file descriptors, memory
    }

    void completed(CompletedExchange e) {
        String method = e.request().map(r -> METHODS.contains(r.method()) ? r.method() : "other").orElse("none");
        requests.labelValues(method, RateHistory.CLASSES[RateHistory.classOf(e.status())]).inc();
        duration.observe(e.duration().toNanos() / 1e9);
        bytes.inc(e.bodyBytes());
        answered.labelValues(e.answeredBy().orElse("core")).inc();
        if (e.status() == 408) refused.labelValues("timeout").inc();
        e.attributes().get(Attributes.LOGIN).ifPresent(outcome -> {
            loginFailures.inc();
            if (outcome.equals(Attributes.LOGIN_LOCKED_OUT)) lockouts.inc();
        });
        e.request().flatMap(r -> r.tls()).ifPresent(tls -> tlsRequests.labelValues(tls.protocol()).inc());
    }

    void connection(ConnectionEvent event) {
        event.refusal().ifPresent(why -> refused.labelValues(why == ConnectionEvent.Refusal.SERVER_FULL ? "limit" : "per_client").inc());
        if (event.kind() == ConnectionEvent.Kind.HANDSHAKE) {
            tlsHandshakes.labelValues(event.tls().map(t -> t.protocol()).orElse("failed")).inc();
        }
    }

    /** Writes every metric in the text format 0.0.4. */
    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
