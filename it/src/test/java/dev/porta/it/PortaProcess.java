package dev.porta.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The built Porta jar, run in its own JVM in a working folder of its own, with its output captured. */
final class PortaProcess implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("porta.jar", "../server/target/porta.jar")).toAbsolutePath().normalize();
    static final Path BUNDLED_PLUGINS = Path.of(System.getProperty("porta.plugins", "../plugins")).toAbsolutePath().normalize();
    static final String JAVA = System.getProperty("porta.java", "java");
    private static final Pattern LISTENING = Pattern.compile("Porta listening on http://[^:]+:(\\d+)/");
    private static final Pattern LISTENING_HTTPS = Pattern.compile("Porta listening on https://[^:]+:(\\d+)/");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile int port = -1;
    private volatile int httpsPort = -1;

    private PortaProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port = Integer.parseInt(m.group(1));
                    Matcher https = LISTENING_HTTPS.matcher(line);
                    if (https.find()) httpsPort = Integer.parseInt(https.group(1));
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
    }

    /** Starts {@code java [jvmArgs] -jar porta.jar --port 0 --host 127.0.0.1 [args]} in {@code workDir}. */
    static PortaProcess start(Path workDir, List<String> jvmArgs, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of("--port", "0", "--host", "127.0.0.1"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        return new PortaProcess(p);
    }

    /** Starts {@code builder}'s command with its output captured (standard error merged into it). */
    static PortaProcess start(ProcessBuilder builder) throws IOException {
        return new PortaProcess(builder.redirectErrorStream(true).start());
    }

    /** The repository's launcher script ({@code ./porta}), beside the server module. */
    static final Path LAUNCHER = JAR.getParent().getParent().getParent().resolve("porta");

    /**
     * Starts {@code ./porta --port 0 --host 127.0.0.1 [args]} from {@code workDir}, with the JDK running
     * these tests and without building (the jars are built by now).
     */
    static PortaProcess startLauncher(Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "--port", "0", "--host", "127.0.0.1"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", Path.of(JAVA).getParent().getParent().toString());
        builder.environment().put("PORTA_NO_BUILD", "1");
        return new PortaProcess(builder.start());
    }

    /** A plugins folder under {@code dir} holding copies of the named bundled plugin jars. */
    static Path pluginsWith(Path dir, String... pluginIds) throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        for (String id : pluginIds) Files.copy(BUNDLED_PLUGINS.resolve(id + ".jar"), plugins.resolve(id + ".jar"));
        return plugins;
    }

    /** A users file {@code dir/users.htpasswd} with {@code user}, made by access-control's users command from {@code plugins}. */
    static Path usersFile(Path dir, Path plugins, String user, String password) throws IOException, InterruptedException {
        Path users = dir.resolve("users.htpasswd");
        Process add = new ProcessBuilder(JAVA, "-cp", plugins.resolve("access-control.jar").toString(),
                "dev.porta.plugins.accesscontrol.UsersCommand", "add", users.toString(), user, "--stdin").redirectErrorStream(true).start();
        add.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        add.getOutputStream().close();
        if (add.waitFor() != 0) throw new AssertionError(new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return users;
    }

    /** Waits for the listening line; fails with the output if the process ends first. */
    int awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (port < 0 && System.nanoTime() < deadline) {
            if (!process.isAlive() && port < 0) {
                reader.join(2000);
                if (port >= 0) break;
                throw new AssertionError("Porta ended with " + process.exitValue() + " before listening:\n" + output());
            }
            Thread.sleep(20);
        }
        if (port < 0) throw new AssertionError("Porta did not start listening:\n" + output());
        return port;
    }

    /** Waits for the process to end and returns its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("Porta did not exit:\n" + output());
        reader.join(5000);
        return process.exitValue();
    }

    /** Sends SIGTERM (through the handle: Process.destroy() would also close our end of its output). */
    void terminate() {
        process.toHandle().destroy();
    }

    Process process() {
        return process;
    }

    int port() {
        return port;
    }

    /** Waits for the HTTPS listening line (logged after the HTTP one); its port. */
    int awaitHttpsListening() throws InterruptedException {
        awaitListening();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (httpsPort < 0 && System.nanoTime() < deadline) Thread.sleep(10);
        if (httpsPort < 0) throw new AssertionError("Porta did not log its HTTPS port:\n" + output());
        return httpsPort;
    }

    String output() {
        return String.join("\n", output);
    }

    @Override
    public void close() throws InterruptedException { // NOPMD: tests may be interrupted
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }
}
