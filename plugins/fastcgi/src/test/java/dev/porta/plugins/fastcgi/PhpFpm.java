package dev.porta.plugins.fastcgi;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real PHP-FPM for tests: {@code php-fpm8.2} in the foreground with its own pool config on a Unix socket
 * in a temp folder ({@code pm = static}, a few workers, no php.ini), started and stopped by the test.
 * Tests that need it are skipped, with the reason, when PHP-FPM is not installed (CI installs it).
 */
final class PhpFpm implements AutoCloseable {

    static final String BINARY = "/usr/sbin/php-fpm8.2";

    private final Path dir;
    private final int workers;
    private Process process;

    private PhpFpm(Path dir, int workers) {
        this.dir = dir;
        this.workers = workers;
    }

    /** Skips the calling test unless php-fpm8.2 is installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(Path.of(BINARY)),
                "php-fpm8.2 is not installed (apt-get install --no-install-recommends php8.2-fpm php8.2-sqlite3): FastCGI tests skipped");
    }

    /** Starts PHP-FPM with {@code workers} workers, its socket, config and sessions in {@code dir}. */
    static PhpFpm start(Path dir, int workers) throws IOException, InterruptedException {
        assumeInstalled();
        PhpFpm fpm = new PhpFpm(dir, workers);
        Files.createDirectories(dir.resolve("sessions"));
        Files.writeString(dir.resolve("pool.conf"), """
                [global]
                error_log = %1$s/fpm.log
                pid = %1$s/fpm.pid
                daemonize = no
                [test]
                listen = %1$s/fpm.sock
                pm = static
                pm.max_children = %2$d
                php_admin_value[session.save_path] = %1$s/sessions
                php_admin_value[upload_tmp_dir] = %1$s
                php_admin_value[post_max_size] = 64M
                php_admin_value[upload_max_filesize] = 64M
                php_admin_value[output_buffering] = 0
                """.formatted(dir, workers));
        fpm.begin();
        return fpm;
    }

    /** The address for {@code fastcgi.address}. */
    String address() {
        return "unix:" + socket();
    }

    Path socket() {
        return dir.resolve("fpm.sock");
    }

    /** Starts it (again, after {@link #stop()}), and waits until it listens. */
    void begin() throws IOException, InterruptedException {
        Files.deleteIfExists(socket());
        // -R: CI runs as root; -c /dev/null: no php.ini of the machine's
        process = new ProcessBuilder(BINARY, "-F", "-R", "-y", dir.resolve("pool.conf").toString(), "-c", "/dev/null")
                .redirectErrorStream(true).redirectOutput(dir.resolve("fpm.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket())) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("php-fpm did not start: " + Files.readString(dir.resolve("fpm.out"))
                        + (Files.exists(dir.resolve("fpm.log")) ? Files.readString(dir.resolve("fpm.log")) : ""));
            }
            Thread.sleep(20);
        }
    }

    /** Stops it (SIGTERM, then SIGKILL after 5 s) and waits until it is gone. */
    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        process = null;
    }

    int workers() {
        return workers;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
