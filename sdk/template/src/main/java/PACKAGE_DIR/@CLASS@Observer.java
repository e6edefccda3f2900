package @PACKAGE@;

import dev.porta.spi.CompletedExchange;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.PluginContext;
import java.util.concurrent.atomic.AtomicLong;
import org.pf4j.Extension;
import org.tinylog.TaggedLogger;

/** Counts the exchanges that {@link @CLASS@Handler} answered, and says how many at shutdown. */
@Extension
public final class @CLASS@Observer implements ExchangeObserver {

    private final AtomicLong answered = new AtomicLong();
    private TaggedLogger logger;

    @Override
    public void start(PluginContext context) {
        logger = context.logger();
    }

    /** Called once per exchange, after its last byte, on the connection's thread: keep it quick. */
    @Override
    public void completed(CompletedExchange exchange) {
        if (exchange.answeredBy().filter("@NAME@"::equals).isPresent()) answered.incrementAndGet();
    }

    @Override
    public void stop() {
        if (logger != null) logger.info("answered {} request(s)", answered.get());
    }

    /** How many exchanges the handler answered so far. */
    public long answered() {
        return answered.get();
    }
}
