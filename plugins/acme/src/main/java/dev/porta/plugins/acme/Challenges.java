package dev.porta.plugins.acme;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP-01 challenges being validated now: token to key authorization. A token is there only from
 * just before the CA is told to validate until the validation ends.
 */
final class Challenges {

    /** The path prefix of HTTP-01 (RFC 8555 §8.3). */
    static final String PREFIX = "/.well-known/acme-challenge/";

    private final Map<String, String> pending = new ConcurrentHashMap<>();

    void put(String token, String keyAuthorization) {
        pending.put(token, keyAuthorization);
    }

    void remove(String token) {
        pending.remove(token);
    }

    /** The key authorization to answer for {@code path}, when it is the path of a pending token. */
    Optional<String> answer(String path) {
        if (!path.startsWith(PREFIX)) return Optional.empty();
        String token = path.substring(PREFIX.length());
        return token.isEmpty() ? Optional.empty() : Optional.ofNullable(pending.get(token));
    }
}
