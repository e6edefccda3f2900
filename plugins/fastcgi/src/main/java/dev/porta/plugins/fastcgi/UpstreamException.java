package dev.porta.plugins.fastcgi;

import java.io.IOException;

/**
 * PHP-FPM could not be asked or did not answer: carries the status the client gets (502 refused or
 * broken, 503 every connection busy, 504 too slow) and a message for the log; the client sees only the
 * site's error page.
 */
final class UpstreamException extends IOException {

    private final int status;

    UpstreamException(int status, String message) {
        super(message);
        this.status = status;
    }

    UpstreamException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** 502, 503 or 504. */
    int status() {
        return status;
    }
}
