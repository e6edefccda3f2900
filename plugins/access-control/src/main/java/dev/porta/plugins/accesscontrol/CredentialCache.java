package dev.porta.plugins.accesscontrol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credentials verified a moment ago, so that a page with 30 assets costs one bcrypt check, not 30. An
 * entry is keyed by an HMAC (with a random key made at start) of area, users-file generation, user and
 * password — never the password itself — and lasts {@code ttlNanos}. A new generation of the users file
 * makes every older entry useless. Bounded: when full, it is emptied.
 */
final class CredentialCache {

    private static final int MAX_ENTRIES = 10_000;

    private final long ttlNanos;
    private final byte[] key = new byte[32];
    private final Map<String, Long> verifiedUntil = new ConcurrentHashMap<>();

    CredentialCache(long ttlNanos) {
        this.ttlNanos = ttlNanos;
        new SecureRandom().nextBytes(key);
    }

    /** Whether these credentials were verified within the time to live. */
    boolean isVerified(String area, long generation, BasicCredentials credentials) {
        if (ttlNanos <= 0) return false;
        String id = id(area, generation, credentials);
        Long until = verifiedUntil.get(id);
        if (until == null) return false;
        if (System.nanoTime() - until > 0) {
            verifiedUntil.remove(id, until);
            return false;
        }
        return true;
    }

    /** Remembers credentials that just passed a hash check. */
    void remember(String area, long generation, BasicCredentials credentials) {
        if (ttlNanos <= 0) return;
        if (verifiedUntil.size() >= MAX_ENTRIES) verifiedUntil.clear();
        verifiedUntil.put(id(area, generation, credentials), System.nanoTime() + ttlNanos);
    }

    private String id(String area, long generation, BasicCredentials c) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((area + "\n" + generation + "\n" + c.user() + "\n").getBytes(StandardCharsets.UTF_8));
            mac.update(c.password());
            return java.util.HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }
}
