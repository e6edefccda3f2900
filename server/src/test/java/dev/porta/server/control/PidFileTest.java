package dev.porta.server.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The PID file's lock, and that a stale or foreign PID file never gets a process signalled. */
@Timeout(30)
class PidFileTest {

    @TempDir
    Path dir;

    @Test
    void theFileHoldsThisProcessWhileLockedAndASecondClaimIsRefused() throws Exception {
        try (PidFile pid = PidFile.claim(dir.resolve("data"))) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(pid.file()));
            assertEquals(OptionalLong.of(ProcessHandle.current().pid()), PidFile.running(dir.resolve("data")));
            PidFile.HeldElsewhere e = assertThrows(PidFile.HeldElsewhere.class, () -> PidFile.claim(dir.resolve("data")));
            assertTrue(e.getMessage().startsWith("another Porta (PID " + ProcessHandle.current().pid() + ") is running with the data folder"),
                    e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("data").resolve(PidFile.NAME)), "removed at the end");
        assertEquals(OptionalLong.empty(), PidFile.running(dir.resolve("data")));
    }

    @Test
    void aStalePidFileNamingAnotherProcessGetsNothingSignalled() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "30").start();
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("data").resolve(PidFile.NAME), stranger.pid() + "\n"); // left behind, not locked
            Reloader.Outcome outcome = Reloader.reload(dir.resolve("data"));
            assertFalse(outcome.signalled());
            assertTrue(outcome.message().contains("is not locked"), outcome.message());
            assertFalse(stranger.waitFor(300, TimeUnit.MILLISECONDS), "SIGHUP would have ended sleep");
        } finally {
            stranger.destroy();
        }
    }

    @Test
    void aLockedPidFileNamingAProcessThatIsNotPortaGetsNothingSignalled() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "30").start();
        try (PidFile pid = PidFile.claim(dir.resolve("data"))) {
            Files.writeString(pid.file(), stranger.pid() + "\n"); // a forged number under a held lock
            Reloader.Outcome outcome = Reloader.reload(dir.resolve("data"));
            assertFalse(outcome.signalled());
            assertTrue(outcome.message().contains("is not Porta"), outcome.message());
            assertFalse(stranger.waitFor(300, TimeUnit.MILLISECONDS), "SIGHUP would have ended sleep");
            assertFalse(Reloader.isPorta(ProcessHandle.current().pid()), "the test JVM is no Porta either");
        } finally {
            stranger.destroy();
        }
    }

    @Test
    void withoutAPidFileNoPortaRuns() throws Exception {
        Reloader.Outcome outcome = Reloader.reload(dir);
        assertFalse(outcome.signalled());
        assertTrue(outcome.message().startsWith("no Porta is running with the data folder"), outcome.message());
    }

    @Test
    void aSymlinkedPidFileIsRefusedAndItsTargetLeftAlone() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path target = Files.writeString(dir.resolve("precious.txt"), "keep me\n");
        Files.createSymbolicLink(data.resolve(PidFile.NAME), target);
        PidFile.NotOwnFile e = assertThrows(PidFile.NotOwnFile.class, () -> PidFile.claim(data));
        assertEquals(data.resolve(PidFile.NAME) + " is a symbolic link; Porta writes its PID file only as a regular file of its own:"
                + " remove the link", e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertEquals("keep me\n", Files.readString(target), "the link's target is not overwritten");
        assertTrue(Files.isSymbolicLink(data.resolve(PidFile.NAME)), "the link is not removed either");
        assertEquals(OptionalLong.empty(), PidFile.running(data), "a link is no running Porta's PID file");
    }

    @Test
    void aFolderOrAHardLinkAtThePidFilesPathIsRefused() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.createDirectory(data.resolve(PidFile.NAME));
        assertTrue(assertThrows(PidFile.NotOwnFile.class, () -> PidFile.claim(data)).getMessage().endsWith("is not a regular file;"
                + " Porta writes its PID file only as a regular file of its own: remove it"));
        Files.delete(data.resolve(PidFile.NAME));
        Path target = Files.writeString(dir.resolve("precious.txt"), "keep me\n");
        Files.createLink(data.resolve(PidFile.NAME), target);
        assertThrows(PidFile.NotOwnFile.class, () -> PidFile.claim(data));
        assertEquals("keep me\n", Files.readString(target), "the hard link's other name is not overwritten");
    }

    @Test
    void aStopDeletesOnlyItsOwnRegularFile() throws Exception {
        Path data = dir.resolve("data");
        Path target = Files.writeString(dir.resolve("precious.txt"), "keep me\n");
        PidFile pid = PidFile.claim(data);
        Files.delete(pid.file());
        Files.createSymbolicLink(pid.file(), target); // put in its place while Porta ran
        pid.close();
        assertTrue(Files.isSymbolicLink(data.resolve(PidFile.NAME)), "a link that is not ours is not deleted");
        assertEquals("keep me\n", Files.readString(target));
    }

    @Test
    void aPortaThatIgnoresSighupIsNotSignalledAndTheReloadSaysSo() throws Exception {
        // a stand-in for Porta started under nohup: its command line names porta.jar, and SIGHUP is ignored from its start
        Process ignoring = new ProcessBuilder("sh", "-c", "trap '' HUP; exec sh -c 'while :; do sleep 1; done' porta.jar").start();
        Process plain = new ProcessBuilder("sh", "-c", "while :; do sleep 1; done", "porta.jar").start();
        try (PidFile pid = PidFile.claim(dir.resolve("data"))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!Reloader.isPorta(ignoring.pid()) && System.nanoTime() < deadline) Thread.sleep(20); // until its exec
            assertTrue(HangUpSignal.ignoredBy(ignoring.pid()));
            if (!HangUpSignal.ignoredBy(ProcessHandle.current().pid())) { // unless the build itself runs under nohup
                assertFalse(HangUpSignal.ignoredBy(plain.pid()));
            }
            Files.writeString(pid.file(), ignoring.pid() + "\n");
            Reloader.Outcome outcome = Reloader.reload(dir.resolve("data"));
            assertFalse(outcome.signalled(), outcome.message());
            assertTrue(outcome.message().startsWith("Porta (PID " + ignoring.pid() + ") ignores SIGHUP (it was started with it ignored:"
                    + " nohup?), so it cannot be asked to reload: nothing was signalled"), outcome.message());
        } finally {
            ignoring.destroy();
            plain.destroy();
        }
    }
}
