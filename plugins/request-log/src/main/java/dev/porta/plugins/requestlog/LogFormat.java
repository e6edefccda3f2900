package dev.porta.plugins.requestlog;

import dev.porta.spi.CompletedExchange;

/** Turns one finished exchange into one line of the access log (without the line end). */
@FunctionalInterface
interface LogFormat {

    /** The line for {@code exchange}; it never contains a line break. */
    String format(CompletedExchange exchange);
}
