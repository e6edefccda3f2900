package dev.porta.plugins.accesscontrol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersCommandTest {

    @TempDir
    Path dir;

    private String run(String stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, UsersCommand.run(args, null, new BufferedReader(new StringReader(stdin)), new PrintStream(out, true, StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void addsChangesListsAndRemovesUsers() throws Exception {
        Path file = dir.resolve("conf/users.htpasswd");
        assertEquals("Added alice in " + file + "\n", run("first password\n", "add", file.toString(), "alice", "--stdin"));
        run("bob's password\n", "add", file.toString(), "bob");
        assertEquals("alice\nbob\n", run("", "list", file.toString()));
        assertTrue(Files.readString(file).startsWith("alice:$2y$10$"), "bcrypt, cost 10");
        assertFalse(Files.readString(file).contains("first password"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        HtpasswdFile read = HtpasswdFile.read(file);
        assertTrue(read.users().get("alice").matches("first password".getBytes(StandardCharsets.UTF_8)));
        assertTrue(read.users().get("bob").matches("bob's password".getBytes(StandardCharsets.UTF_8)));

        assertTrue(run("second password\n", "add", file.toString(), "alice").startsWith("Changed the password of alice"));
        HtpasswdFile changed = HtpasswdFile.read(file);
        assertTrue(changed.users().get("alice").matches("second password".getBytes(StandardCharsets.UTF_8)));
        assertFalse(changed.users().get("alice").matches("first password".getBytes(StandardCharsets.UTF_8)));

        run("", "remove", file.toString(), "bob");
        assertEquals("alice\n", run("", "list", file.toString()));
    }

    @Test
    void refusesWhatWouldNotWork() {
        Path file = dir.resolve("u.htpasswd");
        assertThrows(IllegalArgumentException.class, () -> run("\n", "add", file.toString(), "alice"));
        assertThrows(IllegalArgumentException.class, () -> run("x".repeat(73) + "\n", "add", file.toString(), "alice"));
        assertThrows(IllegalArgumentException.class, () -> run("pw\n", "add", file.toString(), "a:b"));
        assertThrows(IllegalArgumentException.class, () -> run("", "remove", file.toString(), "nobody"));
        assertThrows(IllegalArgumentException.class, () -> run("", "frobnicate", file.toString()));
    }

    @Test
    void apachesHtpasswdAcceptsWhatItWrites() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/htpasswd")), "apache2-utils not installed");
        Path file = dir.resolve("u.htpasswd");
        run("s3cret\n", "add", file.toString(), "alice");
        Process p = new ProcessBuilder("/usr/bin/htpasswd", "-vb", file.toString(), "alice", "s3cret").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }
}
