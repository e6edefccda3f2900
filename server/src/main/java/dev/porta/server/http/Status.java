package dev.porta.server.http;

import java.nio.charset.StandardCharsets;

/** Reason phrases and pre-encoded status lines. */
public final class Status {

    private static final byte[][] LINES = new byte[600][];

    static {
        for (int s = 100; s < 600; s++) {
            LINES[s] = ("HTTP/1.1 " + s + " " + reason(s) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private Status() {
    }

    /** The status line {@code HTTP/1.1 NNN Reason\r\n}, encoded once. */
    static byte[] line(int status) {
        return LINES[status];
    }

    /** Whether a response with this status never has a body (RFC 9110 §6.4.1). */
    public static boolean forbidsBody(int status) {
        return status < 200 || status == 204 || status == 304;
    }

    /** The standard reason phrase, or a generic one by class. */
    public static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> switch (status / 100) {
                case 1 -> "Informational";
                case 2 -> "Success";
                case 3 -> "Redirection";
                case 4 -> "Client Error";
                default -> "Server Error";
            };
        };
    }
}
