package dev.porta.plugins.fastcgi;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs one request as a FastCGI responder: BEGIN_REQUEST with {@code FCGI_KEEP_CONN}, the PARAMS stream,
 * the request body as STDIN (streamed, never held whole), then the answer's head; the body is left in an
 * {@link AnswerStream} for the client to pull. One request per connection at a time, so its request id is
 * always 1 (PHP-FPM does not multiplex).
 */
final class FastCgiClient {

    private static final int REQUEST_ID = 1;
    /** STDIN piece size: a multiple of 8, so no padding, and below the 64 KiB record limit. */
    private static final int STDIN_CHUNK = 32 * 1024;

    private final ConnectionPool pool;

    /**
     * The answer's head and its body.
     *
     * @param head the status, header fields and declared length
     * @param body the rest of STDOUT; closing it before its end aborts the request
     */
    record Answer(ResponseParser.Head head, AnswerStream body) {
    }

    /**
     * The script no longer passes the check it passed before the request waited for a connection (replaced
     * by a link out of the site, say): nothing was sent, and the request must not run.
     */
    static final class ScriptChanged extends IOException {
        ScriptChanged() {
            super("the script changed while the request waited for a connection");
        }
    }

    /** A failure to read the client's request body: not PHP-FPM's fault, so not a 502; its cause is rethrown. */
    static final class ClientBodyException extends IOException {
        ClientBodyException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    FastCgiClient(ConnectionPool pool) {
        this.pool = pool;
    }

    /**
     * Sends the request and reads the answer's head.
     *
     * @param params     the CGI variables, alternating names and values
     * @param body       the request body, exactly {@code bodyLength} bytes
     * @param bodyLength the request body's length
     * @param stderr     where the application's STDERR lines go
     * @param stillRuns  checks the script again once a connection is held, just before anything is sent:
     *                   PHP opens {@code SCRIPT_FILENAME} itself, and a request may wait seconds for a connection
     * @throws UpstreamException   502, 503 or 504 when PHP-FPM could not be reached or did not answer
     * @throws ClientBodyException when reading the request body failed (the client went away)
     * @throws ScriptChanged       when {@code stillRuns} said no (nothing was sent)
     */
    Answer send(List<String> params, InputStream body, long bodyLength, Consumer<String> stderr, BooleanSupplier stillRuns)
            throws IOException {
        byte[] encoded = ParamsEncoder.encode(params);
        for (int attempt = 1; ; attempt++) {
            boolean retry = attempt == 1 && bodyLength == 0;
            FastCgiConnection c = pool.acquire(!retry);
            if (!stillRuns.getAsBoolean()) {
                pool.release(c); // untouched: nothing written on it
                throw new ScriptChanged();
            }
            AnswerStream answer = new AnswerStream(c, pool, REQUEST_ID, stderr);
            try {
                return send(c, answer, encoded, body, bodyLength);
            } catch (UpstreamException e) {
                // a kept connection PHP-FPM closed meanwhile (a restart, pm.max_requests): once more on a new
                // one, as nginx does, when nothing was read from the client and nothing came back
                if (!(retry && c.reused() && e.status() == 502 && !answer.started() && !answer.ended())) throw e;
            }
        }
    }

    private Answer send(FastCgiConnection c, AnswerStream answer, byte[] params, InputStream body, long bodyLength)
            throws IOException {
        boolean sent = false;
        try {
            byte[] begin = Record.beginRequestBody(true);
            c.writeRecord(Record.TYPE_BEGIN_REQUEST, REQUEST_ID, begin, 0, begin.length);
            c.writeStream(Record.TYPE_PARAMS, REQUEST_ID, params);
            sendBody(c, body, bodyLength);
            c.flush();
            Answer a = new Answer(ResponseParser.parse(answer), answer);
            sent = true;
            return a;
        } catch (ClientBodyException e) {
            throw (IOException) e.getCause(); // as the core made it (the client went away, a body too large)
        } catch (UpstreamException e) {
            throw e;
        } catch (IOException e) {
            throw c.expired() ? new UpstreamException(504, "no answer within " + c.timeout().toMillis() + " ms", e)
                    : new UpstreamException(502, "connection failed: " + e, e);
        } finally {
            // whatever went wrong, unchecked exceptions from the request body included, the connection is
            // out of step: dropped, never back in the pool, and its permit given back
            if (!sent) answer.fail();
        }
    }

    private void sendBody(FastCgiConnection c, InputStream body, long length) throws IOException {
        byte[] chunk = new byte[(int) Math.min(STDIN_CHUNK, Math.max(length, 0))];
        long left = length;
        while (left > 0) {
            int n;
            try {
                n = body.read(chunk, 0, (int) Math.min(chunk.length, left));
            } catch (IOException e) {
                throw new ClientBodyException(e);
            }
            if (n < 0) throw new ClientBodyException(new IOException("request body ended " + left + " bytes early"));
            c.writeRecord(Record.TYPE_STDIN, REQUEST_ID, chunk, 0, n);
            left -= n;
        }
        c.writeRecord(Record.TYPE_STDIN, REQUEST_ID, chunk, 0, 0);
    }
}
