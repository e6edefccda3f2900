package dev.porta.plugins.accesscontrol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Password checks agree with Apache's own {@code htpasswd -v} (apache2-utils; CI installs it). */
class PasswordHashTest {

    @TempDir
    Path dir;

    @Test
    void bcryptAgreesWithHtpasswdAroundSeventyTwoBytes() throws Exception {
        assumeTrue(htpasswdPresent(), "htpasswd (apache2-utils) is not installed");
        String base = "abcdefghij".repeat(10);
        for (int length : new int[]{71, 72, 73, 80, 100}) {
            String password = base.substring(0, length);
            Path file = dir.resolve("users-" + length);
            assertEquals(0, run("htpasswd", "-cbB", "-C", "4", file.toString(), "u", password));
            PasswordHash hash = HtpasswdFile.read(file).users().get("u");
            for (String candidate : List.of(password, base.substring(0, 71), base.substring(0, 72), base.substring(0, 72) + "zz",
                    base.substring(0, 71) + "Z" + password.substring(Math.min(72, length)), base)) {
                boolean apache = run("htpasswd", "-vb", file.toString(), "u", candidate) == 0;
                assertEquals(apache, hash.matches(candidate.getBytes(StandardCharsets.UTF_8)),
                        "a " + length + "-byte password, tried with " + candidate.length() + " bytes");
            }
        }
    }

    /** Found with the htpasswd fuzz test: hashes no password can ever match were loaded, locking their users out in silence. */
    @Test
    void hashesThatCanNeverMatchAreRefusedAtLoad() {
        String bcrypt = "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
        String sha256 = "a".repeat(43);
        for (String never : List.of("$2y$99$" + bcrypt, "$2y$03$" + bcrypt, "$2y$32$" + bcrypt, "$5$", "$5$$" + sha256,
                "$5$" + "s".repeat(17) + "$" + sha256, "$5$sa:lt$" + sha256, "$5$rounds=10$salt$" + sha256,
                "$5$rounds=05000$salt$" + sha256, "$5$salt$short", "$6$salt$" + sha256, "$apr1$", "$apr1$123456789$" + "a".repeat(22),
                "$apr1$salt$short")) {
            assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(never), never);
        }
        // the forms crypt writes, which it can check
        for (String salt : List.of("$5$rounds=5000$saltsaltsaltsalt", "$6$s", "$5$./09AZaz")) {
            String hash = org.apache.commons.codec.digest.Crypt.crypt("pw", salt);
            assertEquals(true, PasswordHash.parse(hash).matches("pw".getBytes(StandardCharsets.UTF_8)), hash);
        }
        String apr1 = org.apache.commons.codec.digest.Md5Crypt.apr1Crypt("pw", "12345678");
        assertEquals(true, PasswordHash.parse(apr1).matches("pw".getBytes(StandardCharsets.UTF_8)), apr1);
        assertEquals(true, PasswordHash.parse("$2y$04$" + bcrypt) instanceof PasswordHash.Bcrypt);
    }

    private static boolean htpasswdPresent() {
        try {
            run("htpasswd", "-nbB", "-C", "4", "u", "p");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
