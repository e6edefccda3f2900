package dev.porta.plugins.accesscontrol;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
