package dev.porta.server.http;

/**
 * A request the core refuses: carries the status to answer with and a message that is safe to show the
 * client; {@link #getMessage()} may say more and goes only to the server log. After it the connection is
 * closed.
 */
public final class HttpException extends RuntimeException {

    private final int status;
    private final String publicMessage;

    /** A refusal with {@code status}, whose public message is also its log message. */
    public HttpException(int status, String publicMessage) {
        this(status, publicMessage, publicMessage);
    }

    /** A refusal with a public message and a more detailed one for the log. */
    public HttpException(int status, String publicMessage, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.publicMessage = publicMessage;
    }

    /** The status to answer with. */
    public int status() {
        return status;
    }

    /** What the client may be told. */
    public String publicMessage() {
        return publicMessage;
    }
}
