package dev.porta.plugins.status;

import dev.porta.spi.Attributes;
import dev.porta.spi.Body;
import dev.porta.spi.Chain;
import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ConnectionEvent;
import dev.porta.spi.ConnectionObserver;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import dev.porta.spi.ServerState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.pf4j.Extension;

/**
 * The status plugin: one instance that answers the pages under its prefix ({@code /porta/} by default) and
 * watches every exchange and connection to fill them.
 *
 * <ul>
 *   <li>{@code health}: {@code 200 ok} while Porta serves, 503 otherwise (draining after a stop began);
 *       open to every client, for load balancers;</li>
 *   <li>{@code metrics}: Prometheus text format 0.0.4 ({@link PortaMetrics});</li>
 *   <li>{@code status} and {@code status.json}: the live dashboard ({@link Dashboard});</li>
 *   <li>{@code requests} and {@code requests.json}: the recent exchanges ({@link RecentRequests}).</li>
 * </ul>
 *
 * Every page but health answers only clients in {@code status.allow} asking under an address, localhost or
 * a name in {@code status.hosts} (not a DNS-rebinding page in a local browser), or a user that access
 * control let in (an area that covers the prefix). Ordinal 500: after access control (100), before the files (1000).
 */
@Extension(ordinal = 500)
public final class Status implements Handler, ExchangeObserver, ConnectionObserver {

    private volatile StatusSettings settings;
    private volatile PluginContext context;
    private final Connections connections = new Connections();
    private volatile PortaMetrics metrics;
    private volatile Dashboard dashboard;
    private volatile RecentRequests recent;
    private volatile StaticAssets assets;

    @Override
    public void check(PluginContext context) {
        StatusSettings.read(context.settings());
    }

    @Override
    public void start(PluginContext context) {
        settings = StatusSettings.read(context.settings());
        this.context = context;
        recent = new RecentRequests(settings.recent());
        dashboard = new Dashboard();
        assets = new StaticAssets();
        metrics = new PortaMetrics(connections);
        context.logger().info("pages under {} for {}{}", settings.prefix(),
                settings.allow().isEmpty() ? "no address" : settings.allow(), ", and users that access control lets in");
    }

    @Override
    public Response handle(Request request, Chain chain) throws IOException {
        connections.started(request.attributes()); // until completed() sees it finish
        String path = request.path();
        String prefix = settings.prefix();
        if (!path.startsWith(prefix)) return chain.next(request);
        String page = path.substring(prefix.length());
        if (page.equals("health")) {
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                return text(405, "GET or HEAD\n").withHeader("Allow", "GET, HEAD");
            }
            return health();
        }
        boolean user = request.attributes().get(Attributes.USER).isPresent();
        if (!user && !settings.allows(request.client().getAddress())) {
            return text(403, "forbidden: " + prefix + " answers only the clients in status.allow\n");
        }
        String host = request.header("Host").orElse("");
        if (!user && !settings.allowsHost(host)) {
            return text(403, "forbidden: " + prefix + " is not served under the name '" + host + "' (a page elsewhere may have"
                    + " pointed that name at this machine); use an address or localhost, or add the name to status.hosts\n");
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return text(405, "GET or HEAD\n").withHeader("Allow", "GET, HEAD");
        }
        return switch (page) {
            case "metrics" -> metricsPage();
            case "status.json" -> json(dashboard.json(context, connections, recent, context.serverVersion()));
            case "requests.json" -> requestsJson(RequestFilter.parse(request.query()));
            default -> assets.get(page).orElseGet(() -> text(404, "no such status page\n"));
        };
    }

    private Response health() {
        ServerState state = context.serverState();
        return state == ServerState.SERVING ? text(200, "ok\n").withHeader("Cache-Control", "no-store")
                : text(503, state.name().toLowerCase(java.util.Locale.ROOT) + "\n").withHeader("Cache-Control", "no-store");
    }

    private Response metricsPage() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        metrics.write(out);
        return Response.of(200).withHeader("Content-Type", PortaMetrics.CONTENT_TYPE).withHeader("Cache-Control", "no-store")
                .withBody(Body.of(out.toByteArray()));
    }

    private Response requestsJson(RequestFilter filter) {
        Json j = new Json().beginObject().field("capacity", recent.capacity()).name("requests").beginArray();
        List<RecentRequest> rows = recent.newest(filter, Math.min(filter.limit(), recent.capacity()));
        for (RecentRequest r : rows) r.writeJson(j);
        return json(j.endArray().endObject().toString());
    }

    private static Response json(String body) {
        return Response.of(200).withHeader("Content-Type", "application/json").withHeader("Cache-Control", "no-store")
                .withBody(Body.of(body));
    }

    private static Response text(int status, String body) {
        return Response.of(status).withHeader("Content-Type", "text/plain; charset=utf-8").withBody(Body.of(body));
    }

    @Override
    public void completed(CompletedExchange exchange) {
        connections.finished(exchange.attributes());
        RecentRequest r = new RecentRequest(exchange.started(), exchange.client().getAddress().getHostAddress(),
                exchange.attributes().get(Attributes.USER).orElse(""),
                exchange.request().map(Request::method).orElse(""),
                exchange.request().map(Request::path).orElse("(malformed request)"),
                exchange.status(), exchange.duration().toNanos() / 1000, exchange.bodyBytes(),
                exchange.answeredBy().orElse("core"), exchange.cutShort());
        recent.add(r);
        dashboard.completed(exchange, r);
        metrics.completed(exchange);
    }

    @Override
    public void connection(ConnectionEvent event) {
        connections.event(event);
        metrics.connection(event);
    }
}
