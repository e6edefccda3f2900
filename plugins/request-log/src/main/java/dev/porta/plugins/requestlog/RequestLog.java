package dev.porta.plugins.requestlog;

import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import org.pf4j.Extension;

/**
 * Writes one access-log line per exchange — the ones the core refuses included — after its last byte:
 * nginx's {@code combined} format by default, any Apache {@code LogFormat}, or JSON Lines.
 */
@Extension
public final class RequestLog implements ExchangeObserver {

    private LogFormat format;
    private volatile AccessLogFile file;

    /** The settings, checked: everything {@link #start} needs, read without touching any file. */
    private record Config(String formatName, LogFormat format, Path file, boolean daily, long maxSize, int keep) {

        static Config read(PluginContext context) {
            Settings s = context.settings();
            String name = s.get("format", "combined");
            LogFormat format;
            try {
                format = switch (name) {
                    case "combined" -> ApacheLogFormat.parse(ApacheLogFormat.COMBINED, ZoneId.systemDefault());
                    case "common" -> ApacheLogFormat.parse("%h %l %u %t \"%r\" %>s %b", ZoneId.systemDefault());
                    case "json" -> new JsonLinesFormat();
                    default -> {
                        if (!name.contains("%")) {
                            throw new IllegalArgumentException("'" + name + "' is neither combined, common, json nor a LogFormat with % directives");
                        }
                        yield ApacheLogFormat.parse(name, ZoneId.systemDefault());
                    }
                };
            } catch (IllegalArgumentException e) {
                throw s.invalid("format", e.getMessage());
            }
            Path file = s.getPath("file").orElse(context.logDirectory().resolve("access.log"));
            boolean daily = s.getBoolean("rotate-daily", true);
            long maxSize = s.getBytes("rotate-size", 100L << 20);
            int keep = s.getInt("keep", 10);
            if (keep < 0) throw s.invalid("keep", "must be 0 or more");
            return new Config(name, format, file, daily, maxSize, keep);
        }
    }

    /** Checks every setting; opens, creates and writes nothing. */
    @Override
    public void check(PluginContext context) {
        Config.read(context);
    }

    @Override
    public void start(PluginContext context) throws Exception {
        Config c = Config.read(context);
        format = c.format();
        RollingLogFile files;
        try {
            // every log file is registered never to be served: request-log.file may lie under the site folder
            files = new RollingLogFile(c.file(), c.daily(), c.maxSize(), c.keep(), Clock.systemDefaultZone(), context::neverServe);
        } catch (IOException e) {
            throw context.settings().invalid("file", "cannot write the access log " + c.file() + ": " + e);
        }
        FormatRecord record = new FormatRecord(context.dataDirectory().resolve("format"));
        if (files.size() > 0 && !record.is(c.formatName())) files.roll(); // one format per file
        record.save(c.formatName());
        file = new AccessLogFile(files, 65_536);
        context.logger().info("writes {} ({}; rotation: {}{}; {} kept)", c.file(), c.formatName(),
                c.daily() ? "daily" : "", c.maxSize() > 0 ? (c.daily() ? " and " : "") + "at " + c.maxSize() + " bytes" : "", c.keep());
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
