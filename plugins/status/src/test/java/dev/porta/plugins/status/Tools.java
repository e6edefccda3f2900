package dev.porta.plugins.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds the outside tools the tests use (promtool, prometheus, chromium) and runs them with a time limit. */
final class Tools {

    private Tools() {
    }

    /** The first of {@code names} on the PATH. */
    static Optional<Path> find(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : names) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** What a finished tool printed. */
    record Result(int exit, String stdout, String stderr) {
    }

    /** Runs {@code command}, killing it after {@code seconds}. */
    static Result run(List<String> command, int seconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tool", ".out");
        Path err = Files.createTempFile("tool", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                throw new AssertionError(command.get(0) + " did not finish within " + seconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
