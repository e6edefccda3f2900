package dev.porta.plugins.status;

import dev.porta.spi.CompletedExchange;
import dev.porta.spi.PluginContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the status page shows, kept as exchanges finish and written as one JSON document per poll. Every
 * part is bounded: the rate history is a ring of seconds, the top tables are sketches, errors and
 * latencies come from fixed rings.
 */
final class Dashboard {

    private static final int TOP = 10;
    private static final int SKETCH = 100;
    private static final int BUCKET_SECONDS = 10;

    private final Instant startedAt = Instant.now();
    private final LongAdder requests = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final AtomicLong[] byClass = new AtomicLong[RateHistory.CLASSES.length];
    private final RateHistory rates = new RateHistory();
    private final TopCounts paths = new TopCounts(SKETCH);
    private final TopCounts clients = new TopCounts(SKETCH);
    private final TopCounts notFound = new TopCounts(SKETCH);
    private final RecentRequests errors = new RecentRequests(20);

    Dashboard() {
        for (int i = 0; i < byClass.length; i++) byClass[i] = new AtomicLong();
    }

    void completed(CompletedExchange e, RecentRequest r) {
        requests.increment();
        bytes.add(e.bodyBytes());
        byClass[RateHistory.classOf(e.status())].incrementAndGet();
        rates.add(e.started().plus(e.duration()).getEpochSecond(), e.status());
        paths.add(RecentRequest.bounded(r.path()));
        clients.add(r.client());
        if (e.status() == 404) notFound.add(RecentRequest.bounded(r.path()));
        if (e.status() >= 500) errors.add(r);
    }

    /** The page's data now. */
    String json(PluginContext context, Connections connections, RecentRequests recent, String version) {
        Json j = new Json().beginObject();
        j.field("state", context.serverState().name()).field("version", version)
                .field("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds())
                .field("requests", requests.sum()).field("bytes", bytes.sum());
        j.name("byClass").beginObject();
        for (int i = 0; i < byClass.length; i++) j.field(RateHistory.CLASSES[i], byClass[i].get());
        j.endObject();
        j.name("connections").beginObject().field("open", connections.open()).field("active", connections.active())
                .field("idle", connections.idle()).endObject();
        latency(j, recent.durations());
        j.field("bucketSeconds", BUCKET_SECONDS).name("rates").beginArray();
        for (long[] bucket : rates.buckets(Instant.now().getEpochSecond(), BUCKET_SECONDS)) {
            j.beginArray();
            for (long c : bucket) j.value(c);
            j.endArray();
        }
        j.endArray();
        top(j, "topPaths", paths);
        top(j, "topClients", clients);
        top(j, "top404", notFound);
        j.name("errors").beginArray();
        for (RecentRequest r : errors.newest(RequestFilter.parse(""), 20)) r.writeJson(j);
        j.endArray();
        j.name("plugins").beginArray();
        for (Map.Entry<String, String> p : context.plugins().entrySet()) {
            j.beginObject().field("id", p.getKey()).field("version", p.getValue()).endObject();
        }
        j.endArray();
        j.name("chain").beginArray();
        for (String id : context.handlerChain()) j.value(id);
        j.endArray();
        return j.endObject().toString();
    }

    /** p50, p90, p99 in milliseconds over the recent requests. */
    private static void latency(Json j, long[] micros) {
        Arrays.sort(micros);
        j.name("latencyMs").beginObject();
        for (int p : new int[] {50, 90, 99}) {
            double ms = micros.length == 0 ? 0 : micros[Math.min(micros.length - 1, (int) Math.ceil(p / 100.0 * micros.length) - 1)] / 1000.0;
            j.field("p" + p, ms);
        }
        j.field("over", micros.length).endObject();
    }

    private static void top(Json j, String name, TopCounts counts) {
        j.name(name).beginArray();
        List<Map.Entry<String, Long>> top = counts.top(TOP);
        for (Map.Entry<String, Long> e : top) j.beginObject().field("key", e.getKey()).field("count", e.getValue()).endObject();
        j.endArray();
    }
}
