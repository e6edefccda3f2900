package dev.porta.plugins.requestlog;

import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import org.pf4j.Extension;
import org.tinylog.Logger;

/**
 * Writes one access-log line per exchange — the ones the core refuses included — after its last byte:
 * nginx's {@code combined} format by default, any Apache {@code LogFormat}, or JSON Lines.
 */
@Extension
public final class RequestLog implements ExchangeObserver {

    private LogFormat format;
    private volatile AccessLogFile file;

    @Override
    public void start(PluginContext context) throws Exception {
        Settings s = context.settings();
        String formatSetting = s.get("format", "combined");
        try {
            format = switch (formatSetting) {
                case "combined" -> ApacheLogFormat.parse(ApacheLogFormat.COMBINED, ZoneId.systemDefault());
                case "common" -> ApacheLogFormat.parse("%h %l %u %t \"%r\" %>s %b", ZoneId.systemDefault());
                case "json" -> new JsonLinesFormat();
                default -> {
                    if (!formatSetting.contains("%")) {
                        throw new IllegalArgumentException("'" + formatSetting + "' is neither combined, common, json nor a LogFormat with % directives");
                    }
                    yield ApacheLogFormat.parse(formatSetting, ZoneId.systemDefault());
                }
            };
        } catch (IllegalArgumentException e) {
            throw s.invalid("format", e.getMessage());
        }
        Path path = s.getPath("file").orElse(context.logDirectory().resolve("access.log"));
        boolean daily = s.getBoolean("rotate-daily", true);
        long maxSize = s.getBytes("rotate-size", 100L << 20);
        int keep = s.getInt("keep", 10);
        if (keep < 0) throw s.invalid("keep", "must be 0 or more");
        RollingLogFile files = new RollingLogFile(path, daily, maxSize, keep, Clock.systemDefaultZone());
        FormatRecord record = new FormatRecord(context.dataDirectory().resolve(context.pluginId()).resolve("format"));
        if (files.size() > 0 && !record.is(formatSetting)) files.roll(); // one format per file
        record.save(formatSetting);
        file = new AccessLogFile(files, 65_536);
        Logger.info("request-log writes {} ({}; rotation: {}{}; {} kept)", path, formatSetting,
                daily ? "daily" : "", maxSize > 0 ? (daily ? " and " : "") + "at " + maxSize + " bytes" : "", keep);
    }

    @Override
    public void completed(CompletedExchange exchange) {
        AccessLogFile f = file;
        if (f != null) f.append(format.format(exchange)); // after stop() the line is refused, quietly
    }

    @Override
    public void stop() {
        if (file != null) file.close();
    }
}
