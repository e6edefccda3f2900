package dev.porta.plugins.accesscontrol;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Crypt;
import org.apache.commons.codec.digest.Md5Crypt;

/**
 * A password hash from an htpasswd file, in one of the formats Apache writes: bcrypt ({@code $2y$},
 * {@code $2a$}, {@code $2b$}: the one to use), SHA-crypt ({@code $5$}, {@code $6$}), and the weak ones
 * accepted for files people already have: {@code $apr1$} (Apache MD5) and {@code {SHA}} (unsalted SHA-1).
 * Every comparison is constant-time. Nothing here is hand-made crypto: bcrypt comes from
 * {@code at.favre.lib:bcrypt}, the crypt formats from commons-codec, SHA-1 from the JDK.
 */
sealed interface PasswordHash {

    /** Whether {@code password} (UTF-8 bytes) matches. Never throws for a wrong or odd password. */
    boolean matches(byte[] password);

    /** Whether the format is weak enough to warn about at load. */
    default boolean weak() {
        return false;
    }

    /**
     * Parses the hash part of an htpasswd line.
     *
     * @throws IllegalArgumentException for a format that is not accepted (plain text included)
     */
    static PasswordHash parse(String hash) {
        if (hash.startsWith("$2y$") || hash.startsWith("$2a$") || hash.startsWith("$2b$")) {
            if (!Formats.BCRYPT.matcher(hash).matches()) throw new IllegalArgumentException("a malformed bcrypt hash");
            int cost = Integer.parseInt(hash, 4, 6, 10);
            if (cost < 4 || cost > 31) throw new IllegalArgumentException("a bcrypt hash with cost " + cost + " (bcrypt runs 04 to 31)");
            return new Bcrypt(hash);
        }
        if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
            if (!(hash.startsWith("$5$") ? Formats.SHA256_CRYPT : Formats.SHA512_CRYPT).matcher(hash).matches()) {
                throw new IllegalArgumentException("a malformed SHA-crypt hash ($5$ or $6$, [rounds=1000-999999999$]SALT$HASH, "
                        + "a salt of 1 to 16 characters ./0-9A-Za-z)");
            }
            return new ShaCrypt(hash);
        }
        if (hash.startsWith("$apr1$")) {
            if (!Formats.APR1.matcher(hash).matches()) throw new IllegalArgumentException("a malformed $apr1$ hash");
            return new Apr1(hash);
        }
        if (hash.startsWith("{SHA}")) {
            byte[] digest;
            try {
                digest = Base64.getDecoder().decode(hash.substring(5));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a malformed {SHA} hash");
            }
            if (digest.length != 20) throw new IllegalArgumentException("a malformed {SHA} hash");
            return new Sha1(digest);
        }
        throw new IllegalArgumentException("not a password hash Porta accepts (bcrypt, $5$, $6$, $apr1$, {SHA}); "
                + "plain-text and DES-crypt passwords are refused: make the line with './porta users add' or 'htpasswd -B'");
    }

    /**
     * The forms each algorithm can check; anything else is refused at load with FILE:LINE rather than loaded
     * as a user who can never log in (found writing the htpasswd fuzz test's invariant: a bcrypt cost of 99, an empty or 17-character salt, a
     * salt with characters crypt rejects, {@code rounds=10} or {@code rounds=05000}, which crypt computes as
     * 1000 and 5000 rounds, so that the stored hash can never equal the computed one).
     */
    final class Formats {
        static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");
        private static final String ROUNDS_AND_SALT = "(rounds=[1-9][0-9]{3,8}\\$)?[./A-Za-z0-9]{1,16}\\$";
        static final Pattern SHA256_CRYPT = Pattern.compile("\\$5\\$" + ROUNDS_AND_SALT + "[./A-Za-z0-9]{43}");
        static final Pattern SHA512_CRYPT = Pattern.compile("\\$6\\$" + ROUNDS_AND_SALT + "[./A-Za-z0-9]{86}");
        static final Pattern APR1 = Pattern.compile("\\$apr1\\$[./A-Za-z0-9]{1,8}\\$[./A-Za-z0-9]{22}");

        private Formats() {
        }
    }

    /**
     * bcrypt. Only the first 72 bytes of a password count, as in Apache's {@code htpasswd} and every other
     * bcrypt; the library refuses longer ones, so they are cut here, as Apache cuts them.
     */
    record Bcrypt(String hash) implements PasswordHash {
        static final int MAX_PASSWORD_BYTES = 72;

        @Override
        public boolean matches(byte[] password) {
            byte[] used = password.length > MAX_PASSWORD_BYTES ? Arrays.copyOf(password, MAX_PASSWORD_BYTES) : password;
            try {
                return BCrypt.verifyer(BCrypt.Version.VERSION_2Y).verify(used, hash.getBytes(StandardCharsets.US_ASCII)).verified;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    /** SHA-256-crypt or SHA-512-crypt. */
    record ShaCrypt(String hash) implements PasswordHash {
        @Override
        public boolean matches(byte[] password) {
            return cryptMatches(password, hash, Crypt::crypt);
        }
    }

    /** Apache's MD5 ({@code htpasswd -m}): weak. */
    record Apr1(String hash) implements PasswordHash {
        @Override
        public boolean matches(byte[] password) {
            return cryptMatches(password, hash, Md5Crypt::apr1Crypt);
        }

        @Override
        public boolean weak() {
            return true;
        }
    }

    /** Unsalted SHA-1 ({@code htpasswd -s}): weak. */
    record Sha1(byte[] digest) implements PasswordHash {
        @Override
        public boolean matches(byte[] password) {
            try {
                return MessageDigest.isEqual(MessageDigest.getInstance("SHA-1").digest(password), digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-1", e);
            }
        }

        @Override
        public boolean weak() {
            return true;
        }
    }

    /** A crypt(3)-style function: the full hash of {@code key} with the salt found in {@code salt}. */
    @FunctionalInterface
    interface Crypter {
        String crypt(byte[] key, String salt);
    }

    /** Whether crypting {@code password} with the salt in {@code hash} gives {@code hash}; never throws. */
    private static boolean cryptMatches(byte[] password, String hash, Crypter crypter) {
        try {
            return constantTimeEquals(crypter.crypt(password, hash), hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
