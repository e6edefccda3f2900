package dev.porta.plugins.status;

import java.time.Instant;

/**
 * One finished exchange as the requests page shows it. Only what the access log shows: no query (it may
 * carry tokens), no header, never {@code Authorization} or a cookie.
 *
 * @param time       when its first byte arrived
 * @param client     the client's address
 * @param user       the user access control let in, or empty
 * @param method     the method, or empty when the request could not be parsed
 * @param path       the decoded path, or the raw request line when it could not be parsed
 * @param status     the status sent
 * @param micros     how long it took
 * @param bytes      body bytes sent
 * @param answeredBy the plugin that answered, or {@code core}
 * @param cutShort   whether the response did not go out whole
 */
record RecentRequest(Instant time, String client, String user, String method, String path, int status, long micros,
                     long bytes, String answeredBy, boolean cutShort) {

    /** The longest text kept of a path or a name: what a client sends must not decide how much memory the ring holds. */
    static final int MAX_TEXT = 256;

    RecentRequest {
        path = bounded(path);
        user = bounded(user);
        method = bounded(method);
    }

    /** {@code text} cut to {@link #MAX_TEXT} characters, marked with an ellipsis when it was cut. */
    static String bounded(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }

    /** Whether it passes the requests page's filters (each empty one passes everything). */
    boolean matches(RequestFilter f) {
        return (f.status().isEmpty() || Integer.toString(status).startsWith(f.status().replace("x", "")))
                && (f.method().isEmpty() || method.equalsIgnoreCase(f.method()))
                && (f.path().isEmpty() || path.contains(f.path()))
                && (f.client().isEmpty() || client.startsWith(f.client()))
                && (f.user().isEmpty() || user.equals(f.user()));
    }

    /** This request as a JSON object. */
    void writeJson(Json json) {
        json.beginObject().field("time", time.toString()).field("client", client).field("user", user)
                .field("method", method).field("path", path).field("status", status)
                .field("durationMs", micros / 1000.0).field("bytes", bytes).field("plugin", answeredBy)
                .field("cutShort", cutShort).endObject();
    }
}
