package dev.porta.plugins.status;

import dev.porta.spi.Attributes;
import dev.porta.spi.ConnectionEvent;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open, active and idle connections. Open comes from connection events; active counts the requests in
 * the hands of the chain at the status plugin's place (it sees them start there and finish as observer),
 * keyed by the exchange's {@link Attributes} object, the one thing a request and its completed exchange
 * share. A request answered before the status plugin (access control's 401) is not counted as active.
 */
final class Connections {

    private final AtomicLong open = new AtomicLong();
    private final Set<Attributes> inFlight = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    void event(ConnectionEvent e) {
        switch (e.kind()) {
            case OPENED -> open.incrementAndGet();
            case CLOSED -> open.decrementAndGet();
            default -> {
                // a refusal never opened
            }
        }
    }

    void started(Attributes exchange) {
        inFlight.add(exchange);
    }

    void finished(Attributes exchange) {
        inFlight.remove(exchange);
    }

    long open() {
        return Math.max(0, open.get());
    }

    long active() {
        return Math.min(open(), inFlight.size());
    }

    long idle() {
        return open() - active();
    }
}
