package dev.porta.plugins.fastcgi;

import dev.porta.spi.Attributes;
import dev.porta.spi.Headers;
import dev.porta.spi.Request;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CGI/1.1 variables of a request (RFC 3875 section 4.1) and those PHP reads besides
 * ({@code SCRIPT_FILENAME}, {@code REQUEST_URI}, {@code DOCUMENT_ROOT}, {@code HTTPS}), set as nginx's
 * {@code fastcgi_params} and Apache's mod_proxy_fcgi set them, so that PHP applications see what they
 * expect.
 *
 * <p>Every request header becomes {@code HTTP_NAME}, except: {@code Content-Type} and
 * {@code Content-Length}, which are {@code CONTENT_TYPE} and {@code CONTENT_LENGTH}; {@code Authorization},
 * passed only when configured (a script that can read it can replay the password, as Apache's
 * {@code CGIPassAuth} warns); {@code Proxy}, never passed, since PHP libraries read {@code HTTP_PROXY} as
 * the outgoing proxy (httpoxy, CVE-2016-5385); and names with characters other than letters, digits and
 * {@code -}, since {@code X_Forwarded_For} and {@code X-Forwarded-For} would both become one variable
 * (nginx drops them too).
 */
final class CgiEnvironment {

    private final Path root;
    private final boolean passAuthorization;
    private final List<String> extra;

    CgiEnvironment(Path root, FastCgiSettings settings) {
        this.root = root;
        this.passAuthorization = settings.passAuthorization();
        this.extra = settings.params();
    }

    /** The variables for {@code request} running {@code script} with a body of {@code contentLength} bytes. */
    List<String> build(Request request, ScriptResolver.Script script, long contentLength) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("SERVER_SOFTWARE", "Porta");
        env.put("SERVER_PROTOCOL", request.version());
        env.put("REQUEST_METHOD", request.method());
        env.put("REQUEST_URI", request.target());
        env.put("QUERY_STRING", request.query());
        env.put("DOCUMENT_ROOT", root.toString());
        env.put("DOCUMENT_URI", script.name() + script.pathInfo());
        env.put("SCRIPT_NAME", script.name());
        env.put("SCRIPT_FILENAME", script.file().toString());
        if (!script.pathInfo().isEmpty()) {
            env.put("PATH_INFO", script.pathInfo());
            env.put("PATH_TRANSLATED", root + script.pathInfo());
        }
        InetSocketAddress local = request.local();
        env.put("SERVER_NAME", serverName(request));
        env.put("SERVER_ADDR", local.getAddress().getHostAddress());
        env.put("SERVER_PORT", Integer.toString(local.getPort()));
        InetSocketAddress client = request.client();
        env.put("REMOTE_ADDR", client.getAddress() == null ? client.getHostString() : client.getAddress().getHostAddress());
        env.put("REMOTE_PORT", Integer.toString(client.getPort()));
        env.put("REQUEST_SCHEME", request.scheme());
        if (request.scheme().equals("https")) env.put("HTTPS", "on");
        request.attributes().get(Attributes.USER).ifPresent(user -> {
            env.put("REMOTE_USER", user);
            env.put("AUTH_TYPE", "Basic"); // access-control, the one authenticator, speaks Basic
        });
        env.put("REDIRECT_STATUS", "200"); // php-cgi with cgi.force_redirect refuses to run without it
        if (contentLength > 0 || request.headers().contains("Content-Length") || request.headers().contains("Transfer-Encoding")) {
            env.put("CONTENT_LENGTH", Long.toString(contentLength));
        }
        request.header("Content-Type").ifPresent(type -> env.put("CONTENT_TYPE", type));
        addHeaders(env, request.headers());
        for (int i = 0; i < extra.size(); i += 2) env.put(extra.get(i), extra.get(i + 1));

        List<String> list = new ArrayList<>(env.size() * 2);
        env.forEach((name, value) -> {
            list.add(name);
            list.add(value);
        });
        return list;
    }

    private void addHeaders(Map<String, String> env, Headers headers) {
        for (String name : headers.names()) {
            if (!isPlainName(name) || name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Length")
                    || name.equalsIgnoreCase("Proxy") || (name.equalsIgnoreCase("Authorization") && !passAuthorization)) {
                continue;
            }
            // one variable per name: repeated fields joined as a list (RFC 9110 5.3), cookies as one Cookie header
            String separator = name.equalsIgnoreCase("Cookie") ? "; " : ", ";
            env.put("HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_'), String.join(separator, headers.all(name)));
        }
    }

    private static boolean isPlainName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) return false;
        }
        return !name.isEmpty();
    }

    /** The Host header without its port; the local address when there is none (HTTP/1.0). */
    static String serverName(Request request) {
        String host = request.header("Host").orElse("").strip();
        if (host.isEmpty()) return request.local().getAddress().getHostAddress();
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close > 0 ? host.substring(0, close + 1) : host;
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
