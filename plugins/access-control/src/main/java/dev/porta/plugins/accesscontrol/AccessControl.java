package dev.porta.plugins.accesscontrol;

import dev.porta.spi.Attributes;
import dev.porta.spi.Chain;
import dev.porta.spi.Handler;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pf4j.Extension;
import org.tinylog.TaggedLogger;

/**
 * Restricted areas: a request under an area's path prefix must pass its IP rules and/or log in with
 * Basic authentication against its htpasswd file ({@code satisfy all} or {@code any}, as in nginx).
 * Passing requests go on down the chain with the user in {@link Attributes#USER}; others get 403 (IP),
 * 401 (login), 429 (too many failed logins, or too many logins at once from one client) or, while the
 * server is flooded with logins, 503. Runs before content handlers.
 */
@Extension(ordinal = 100)
public final class AccessControl implements Handler {

    private List<Area> areas = List.of();
    private CredentialCache cache;
    private BruteForceGuard guard;
    private PasswordChecks checks;
    private final PasswordCheck passwordCheck;
    private TaggedLogger log;
    private InetAddress listen;
    /** Whether the clear-text warning was given (once per run). */
    private final AtomicBoolean warnedOfClearText = new AtomicBoolean();

    /** Checks a password against its hash; tests put in one that counts or holds the checks. */
    @FunctionalInterface
    interface PasswordCheck {
        boolean matches(PasswordHash hash, byte[] password);
    }

    public AccessControl() {
        this(PasswordHash::matches);
    }

    AccessControl(PasswordCheck passwordCheck) {
        this.passwordCheck = passwordCheck;
    }

    /** Reads the settings and the users files they name, and reports the first problem; keeps nothing. */
    @Override
    public void check(PluginContext context) {
        AccessSettings.read(context.settings(), context.logger());
    }

    @Override
    public void start(PluginContext context) {
        TaggedLogger log = context.logger();
        AccessSettings settings = AccessSettings.read(context.settings(), log);
        this.areas = settings.areas();
        this.cache = new CredentialCache(settings.loginCache().toNanos());
        this.guard = new BruteForceGuard(settings.maxFailures(), settings.failureWindow(), log);
        this.checks = new PasswordChecks(passwordCheck, settings.hashConcurrency());
        for (Area a : areas) {
            a.users().ifPresent(users -> context.neverServe(users.path()));
            log.info("area {}", a);
        }
        warnOfNestedAreas(areas, log);
        this.log = log;
        this.listen = context.listenAddress();
    }

    /**
     * Warns, once, when a password area is reached over plain HTTP while Porta listens on an address other
     * than loopback: the password would cross the network in clear. Decided at the first such request, not
     * at start, because only a request tells: with HTTPS only, or plain HTTP redirected to HTTPS (the core
     * answers those itself), or behind a TLS proxy (scheme https), no password area is served in clear.
     */
    private void warnIfClearText(Request request) {
        if (request.scheme().equals("https") || listen.isLoopbackAddress()) return;
        if (warnedOfClearText.compareAndSet(false, true)) {
            log.warn("Basic authentication sends passwords in clear over plain HTTP, and Porta listens on {}:"
                    + " serve the area over HTTPS (server.https.* and server.http.redirect-to-https = on; see the README)"
                    + " or listen on 127.0.0.1 only", listen.getHostAddress());
        }
    }

    @Override
    public Response handle(Request request, Chain chain) throws IOException {
        Area area = areaOf(request.path());
        if (area == null) return chain.next(request);
        InetAddress client = request.client().getAddress();
        boolean ipAllowed = area.ip().allows(client);
        if (area.users().isEmpty()) return ipAllowed ? chain.next(request) : Response.of(403);
        if (!area.ip().isEmpty()) {
            if (area.satisfy() == Area.Satisfy.ALL && !ipAllowed) return Response.of(403);
            if (area.satisfy() == Area.Satisfy.ANY && ipAllowed) return chain.next(request);
        }
        return login(request, chain, area, area.users().get(), client);
    }

    private Response login(Request request, Chain chain, Area area, UsersFile users, InetAddress client) throws IOException {
        warnIfClearText(request);
        long locked = guard.lockedForSeconds(area.name(), client);
        if (locked > 0) return tooManyRequests(locked);
        Optional<String> header = request.header("Authorization");
        if (header.isEmpty()) return challenge(area);
        Optional<BasicCredentials> credentials = BasicCredentials.parse(header.get());
        if (credentials.isEmpty()) return failedWithoutCheck(request, area, client);
        BasicCredentials c = credentials.get();
        long generation = users.generation();
        if (!cache.isVerified(area.name(), generation, c)) {
            Optional<Response> refused = check(request, area, users, generation, c, client);
            if (refused.isPresent()) return refused.get();
        }
        request.attributes().set(Attributes.USER, c.user());
        return chain.next(request);
    }

    /** Checks the password; the response to send when it does not let the client in. */
    private Optional<Response> check(Request request, Area area, UsersFile users, long generation, BasicCredentials c, InetAddress client) {
        // reserved before the check runs, so that parallel guesses cannot all be checked before the first fails
        Optional<BruteForceGuard.Attempt> reserved = guard.reserve(area.name(), client);
        if (reserved.isEmpty()) return Optional.of(tooManyRequests(guard.retryAfterSeconds(area.name(), client)));
        try (BruteForceGuard.Attempt attempt = reserved.get()) {
            return switch (checks.check(client, users, c, () -> cache.isVerified(area.name(), generation, c))) {
                case MATCH -> {
                    cache.remember(area.name(), generation, c);
                    yield Optional.empty();
                }
                case NO_MATCH -> {
                    attempt.failed();
                    yield Optional.of(afterFailure(request, area, client));
                }
                case CLIENT_BUSY -> Optional.of(tooManyRequests(1)); // its check in flight answers soon
                case SERVER_BUSY -> Optional.of(Response.of(503).withHeader("Retry-After", "1"));
            };
        }
    }

    /** A failure that needs no password check, such as a malformed Authorization header. */
    private Response failedWithoutCheck(Request request, Area area, InetAddress client) {
        Optional<BruteForceGuard.Attempt> reserved = guard.reserve(area.name(), client);
        if (reserved.isEmpty()) return tooManyRequests(guard.retryAfterSeconds(area.name(), client));
        reserved.get().failed();
        return afterFailure(request, area, client);
    }

    /**
     * 429 once this failure locked the client out, else a new challenge; {@link Attributes#LOGIN} tells
     * observers (metrics) which.
     */
    private Response afterFailure(Request request, Area area, InetAddress client) {
        long locked = guard.lockedForSeconds(area.name(), client);
        request.attributes().set(Attributes.LOGIN, locked > 0 ? Attributes.LOGIN_LOCKED_OUT : Attributes.LOGIN_FAILED);
        return locked > 0 ? tooManyRequests(locked) : challenge(area);
    }

    private static Response tooManyRequests(long retryAfterSeconds) {
        return Response.of(429).withHeader("Retry-After", Long.toString(retryAfterSeconds));
    }

    /** How many password hashes were checked so far (the login cache saves the rest). */
    long hashChecks() {
        return checks.done();
    }

    /** How many logins are waiting for their password check to start. */
    int checksWaiting() {
        return checks.waiting();
    }

    private static Response challenge(Area area) {
        return Response.of(401).withHeader("WWW-Authenticate", "Basic realm=\"" + area.realm() + "\", charset=\"UTF-8\"");
    }

    /** The area with the longest prefix that covers {@code path}, or null. */
    private Area areaOf(String path) {
        Area best = null;
        int bestLength = -1;
        for (Area a : areas) {
            int length = a.longestPrefixCovering(path);
            if (length > bestLength) {
                best = a;
                bestLength = length;
            }
        }
        return best;
    }

    /**
     * Says where one area lies inside another: a path is governed by the area with its longest matching
     * prefix alone, so an inner area with looser rules (an IP list, no users) opens what the outer one shut.
     */
    static void warnOfNestedAreas(List<Area> areas, TaggedLogger log) {
        for (Area outer : areas) {
            for (Area inner : areas) {
                if (inner == outer) continue;
                for (String o : outer.prefixes()) {
                    for (String i : inner.prefixes()) {
                        if (!i.equals(o) && i.toLowerCase(java.util.Locale.ROOT).startsWith(o.toLowerCase(java.util.Locale.ROOT))) {
                            log.warn("area {} ({}) lies inside area {} ({}): below {} only area {}'s rules apply, not both",
                                    inner.name(), i, outer.name(), o, i, inner.name());
                        }
                    }
                }
            }
        }
    }
}
