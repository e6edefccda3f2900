package dev.porta.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an admin sees from the launcher: {@code --help}, bad flags, {@code users} without arguments, a port
 * in use, {@code porta check} beside a running Porta and beside a stranger, and Maven's output as the
 * launcher passes it on (no terminal escape codes).
 */
@Timeout(120)
class LauncherIT {

    @TempDir
    Path dir;

    record Result(int status, String output) {
    }

    static Result launcher(Path workDir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PortaProcess.LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", Path.of(PortaProcess.JAVA).getParent().getParent().toString());
        builder.environment().put("PORTA_NO_BUILD", "1");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }

    @Test
    void helpListsEveryCommandAndFlagOnALineOfItsOwn() throws Exception {
        Result help = launcher(dir, "--help");
        assertEquals(0, help.status(), help.output());
        for (String item : List.of("check", "users add|remove|list", "sdk", "new-plugin NAME", "java-home", "build", "test",
                "--config FILE", "--port N", "--host ADDR", "--root DIR", "--plugins DIR", "--version", "-h, --help")) {
            assertEquals(1, help.output().lines().filter(l -> l.stripLeading().startsWith(item + " ")).count(), item + " once in:\n" + help.output());
        }
        // every command the launcher answers is in the help
        String script = Files.readString(PortaProcess.LAUNCHER);
        for (String command : List.of("test", "build", "sdk", "new-plugin", "java-home", "users")) {
            assertTrue(script.contains("\n  " + command + ")"), command + " is a launcher command");
        }
    }

    @Test
    void anUnknownFlagIsNamedAsUnknownAndAMissingValueAsMissing() throws Exception {
        Result bogus = launcher(dir, "--bogus");
        assertEquals(2, bogus.status());
        assertEquals("porta: command line: unknown flag --bogus (porta --help lists them)", bogus.output().strip());
        Result bogusWithValue = launcher(dir, "--bogus", "1");
        assertTrue(bogusWithValue.output().contains("unknown flag --bogus"), bogusWithValue.output());
        Result missing = launcher(dir, "--port");
        assertEquals(2, missing.status());
        assertEquals("porta: command line: --port needs a value (--port N)", missing.output().strip());
        Result followedByFlag = launcher(dir, "--root", "--port", "1");
        assertTrue(followedByFlag.output().contains("--root needs a value"), followedByFlag.output());
        Result version = launcher(dir, "--version");
        assertEquals(0, version.status(), version.output());
        assertTrue(version.output().startsWith("Porta 0.1.0\nSPI 1.2.0\nJava "), version.output());
    }

    @Test
    void usersWithoutArgumentsSaysWhatToDo() throws Exception {
        Result users = launcher(dir, "users");
        assertEquals(2, users.status());
        assertTrue(users.output().startsWith("porta users: say what to do: add, remove or list\nusage: porta users add FILE USER"), users.output());
        assertTrue(launcher(dir, "users", "list").output().startsWith("porta users: list needs the users FILE"));
    }

    @Test
    void aPortInUseIsOneLineAndExit1BeforeAnyPluginLoads() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result r = launcher(dir, "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(1, r.status(), r.output());
            assertEquals("porta: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use", r.output().strip());
        }
    }

    @Test
    void checkCountsARunningPortasPortAsBindableButNotAStrangers() throws Exception {
        Path config = dir.resolve("porta.properties");
        try (PortaProcess running = PortaProcess.startLauncher(dir)) {
            int port = running.awaitListening();
            Files.writeString(config, "server.host = 127.0.0.1\nserver.port = " + port + "\n");
            Result check = launcher(dir, "check", "--config", config.toString());
            assertEquals(0, check.status(), check.output());
            assertEquals("porta: " + config + ": configuration OK", check.output().strip());
        }
        try (ServerSocket stranger = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Files.writeString(config, "server.host = 127.0.0.1\nserver.port = " + stranger.getLocalPort() + "\nstatic-index.autoindex = maybe\n"
                    + "access-control.area.p.prefixes = /p/\naccess-control.area.p.users = " + dir.resolve("missing.htpasswd") + "\n");
            Result check = launcher(dir, "check", "--config", config.toString());
            assertEquals(2, check.status(), check.output());
            assertTrue(check.output().contains(config + ":3: static-index.autoindex"), check.output());
            assertTrue(check.output().contains(config + ":2: cannot listen on 127.0.0.1:" + stranger.getLocalPort()
                    + ": address already in use (by process " + ProcessHandle.current().pid() + ", which is not Porta)"), check.output());
            assertTrue(check.output().contains(config + ":5: access-control.area.p.users: cannot read " + dir.resolve("missing.htpasswd")), check.output());
            assertTrue(check.output().strip().endsWith(": 3 problems"), check.output());
        }
    }

    @Test
    void mavenOutputPassedOnByTheLauncherHasNoTerminalEscapeCodes() throws Exception {
        assumeTrue(onPath("mvn"), "Maven is not on the PATH: the launcher's Maven output is not checked");
        // 'test --version' runs the launcher's Maven (mvn -B verify --version) without building anything
        Result maven = launcher(dir, "test", "--version");
        assertEquals(0, maven.status(), maven.output());
        assertTrue(maven.output().contains("Apache Maven"), maven.output());
        assertFalse(maven.output().contains("\u001b"), "escape codes in: " + maven.output().replace("\u001b", "<ESC>"));
    }

    private static boolean onPath(String tool) throws IOException {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, tool))) return true;
        }
        return false;
    }
}
