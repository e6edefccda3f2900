package dev.porta.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as an admin gets it: unpacked into a folder of its own and run from elsewhere with
 * only a Java runtime on the {@code PATH} (no Maven, no {@code javac}, no sources, no {@code JAVA_HOME}):
 * it serves, says its version, checks its config, installs the plugin kit and writes a plugin project,
 * and its systemd unit verifies.
 */
@Timeout(120)
class ReleaseIT {

    static final Path TAR = Path.of(System.getProperty("porta.release", "../dist/target/porta-0.1.0.tar.gz")).toAbsolutePath().normalize();
    static final Path ZIP = Path.of(TAR.toString().replaceFirst("\\.tar\\.gz$", ".zip"));
    /** The tools the launcher uses; Maven and javac are not among them. */
    static final List<String> TOOLS = List.of("bash", "env", "dirname", "basename", "readlink", "ls", "sort", "awk", "grep", "sed",
            "head", "cp", "mkdir", "cat", "tr", "find", "pwd", "rm");

    @TempDir
    static Path dir;
    static Path home;
    static Path bin;

    @BeforeAll
    static void unpack() throws Exception {
        assertTrue(Files.isRegularFile(TAR), TAR + " is built by the dist module");
        Path unpacked = Files.createDirectories(dir.resolve("opt"));
        run(List.of("tar", "xzf", TAR.toString(), "-C", unpacked.toString()), Map.of(), 0);
        try (Stream<Path> top = Files.list(unpacked)) {
            home = top.findFirst().orElseThrow();
        }
        // a PATH with a Java runtime and the shell's tools only
        bin = Files.createDirectories(dir.resolve("path"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(PortaProcess.JAVA).toAbsolutePath());
        for (String tool : TOOLS) {
            for (String folder : List.of("/usr/bin", "/bin")) {
                Path found = Path.of(folder, tool);
                if (Files.isExecutable(found) && !Files.exists(bin.resolve(tool))) Files.createSymbolicLink(bin.resolve(tool), found);
            }
        }
    }

    /** Runs the release's {@code bin/porta ARGS} from a folder outside it, with only {@link #bin} on the PATH. */
    static ProcessBuilder porta(Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/porta").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("HOME", dir.resolve("user-home").toString());
        return builder;
    }

    static String run(List<String> command, Map<String, String> env, int expectedStatus) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        return output(builder, expectedStatus);
    }

    static String output(ProcessBuilder builder, int expectedStatus) throws Exception {
        Process p = builder.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended: " + builder.command());
        assertEquals(expectedStatus, p.exitValue(), builder.command() + ":\n" + out);
        return out;
    }

    @Test
    void theArchivesHoldTheLauncherServerPluginsConfigSiteKitAndLicences() throws Exception {
        List<String> tarEntries = List.of(run(List.of("tar", "tzvf", TAR.toString()), Map.of(), 0).split("\n"));
        TreeSet<String> tarNames = new TreeSet<>();
        for (String line : tarEntries) {
            String name = line.substring(line.lastIndexOf(' ') + 1);
            if (!name.endsWith("/")) tarNames.add(name.substring(name.indexOf('/') + 1));
        }
        TreeSet<String> zipNames = new TreeSet<>();
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (!entry.isDirectory()) zipNames.add(entry.getName().substring(entry.getName().indexOf('/') + 1));
            }
        }
        assertEquals(tarNames, zipNames, "the .zip holds what the .tar.gz holds");
        if (Files.isExecutable(Path.of("/usr/bin/unzip"))) {
            // unzip keeps the launcher's mode: the zip's bin/porta runs as it is
            Path fromZip = Files.createDirectories(dir.resolve("from-zip"));
            run(List.of("/usr/bin/unzip", "-q", ZIP.toString(), "-d", fromZip.toString()), Map.of(), 0);
            ProcessBuilder version = porta(fromZip, "--version");
            version.command().set(0, fromZip.resolve(home.getFileName() + "/bin/porta").toString());
            assertTrue(output(version, 0).startsWith("Porta 0.1.0\n"));
        }
        for (String expected : List.of("bin/porta", "lib/porta.jar", "conf/porta.properties", "www/index.html", "README.md", "LICENSE",
                "NOTICE", "porta.service", "sdk/new-plugin", "sdk/porta-versions.properties", "sdk/template/pom.xml",
                "plugins/static-index.jar", "plugins/request-log.jar", "plugins/access-control.jar", "plugins/status.jar", "plugins/fastcgi.jar",
                "sdk/repository/dev/porta/porta-parent/0.1.0/porta-parent-0.1.0.pom",
                "sdk/repository/dev/porta/porta-testkit/0.1.0/porta-testkit-0.1.0.jar")) {
            assertTrue(tarNames.contains(expected), expected + " in " + tarNames);
        }
        assertFalse(tarNames.stream().filter(n -> !n.startsWith("sdk/template/"))
                        .anyMatch(n -> n.endsWith("_remote.repositories") || n.endsWith(".java") || n.endsWith("pom.xml")),
                "no sources, no local-repository bookkeeping: " + tarNames);
        assertTrue(tarEntries.stream().anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith("/bin/porta")), "bin/porta is executable");
        assertTrue(Files.readString(home.resolve("LICENSE")).contains("Apache License") && Files.readString(home.resolve("LICENSE")).contains("Version 2.0"));
    }

    @Test
    void libHoldsOneJarPerLibraryAndTheCurrentSpi() throws Exception {
        // the launcher puts lib/* on the class path: two versions of one library there and the JVM takes either
        Map<String, List<String>> byArtifact = new TreeMap<>();
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            for (Path jar : jars.toList()) {
                String name = jar.getFileName().toString();
                Matcher m = Pattern.compile("(.+?)-(\\d[^-]*(?:-[A-Za-z0-9.]+)?)\\.jar").matcher(name);
                String artifact = m.matches() ? m.group(1) : name.replaceFirst("\\.jar$", "");
                byArtifact.computeIfAbsent(artifact, a -> new ArrayList<>()).add(name);
            }
        }
        byArtifact.forEach((artifact, names) -> assertEquals(1, names.size(), "one jar of " + artifact + " in lib/: " + names));
        assertEquals(List.of("porta-spi-1.2.0.jar"), byArtifact.get("porta-spi"), "lib/: " + byArtifact);
    }

    @Test
    void theNoticeNamesEveryThirdPartyLibraryInsideWithItsVersionAndLicence() throws Exception {
        String notice = Files.readString(home.resolve("NOTICE"));
        List<String> libraries = new ArrayList<>();
        try (Stream<Path> jars = Stream.concat(Files.list(home.resolve("lib")), Files.list(home.resolve("plugins")))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    for (Enumeration<java.util.jar.JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        if (!name.startsWith("META-INF/maven/") || !name.endsWith("/pom.properties")) continue;
                        Properties p = new Properties();
                        p.load(file.getInputStream(file.getEntry(name)));
                        if (!p.getProperty("groupId").equals("dev.porta")) {
                            libraries.add(p.getProperty("groupId") + ":" + p.getProperty("artifactId") + " " + p.getProperty("version"));
                        }
                    }
                }
            }
        }
        // a jar without Maven's pom.properties: named by its file (artifactId-version.jar)
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Matcher m = Pattern.compile("(.+)-(\\d[^-]*)\\.jar").matcher(jar.getFileName().toString());
                if (m.matches() && !m.group(1).startsWith("porta")) libraries.add(":" + m.group(1) + " " + m.group(2));
            }
        }
        assertTrue(libraries.size() >= 15, "libraries found: " + libraries);
        for (String library : libraries) {
            Matcher line = Pattern.compile("(?m)^.*\\Q" + library + "\\E\\s+(.+)$").matcher(notice);
            assertTrue(line.find(), "NOTICE names " + library);
            assertTrue(line.group(1).matches(".*(Apache License 2.0|MIT License|Bouncy Castle Licence).*"), "a licence for " + library + ": " + line.group());
        }
    }

    @Test
    void unpackedAnywhereItServesWithAJavaRuntimeAloneAndTakesConfigPathsFromItsHome() throws Exception {
        assertFalse(Files.exists(bin.resolve("mvn")) || Files.exists(bin.resolve("javac")), "neither Maven nor javac on the PATH");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        try (PortaProcess porta = PortaProcess.start(porta(elsewhere, "--port", "0", "--host", "127.0.0.1"))) {
            int port = porta.awaitListening();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), porta.output());
            assertEquals(Files.readString(home.resolve("www/index.html")), r.body());
            assertTrue(porta.output().contains("Serving " + home.resolve("www").toRealPath()), porta.output());
            assertFalse(porta.output().contains("Enabled plugins") || porta.output().contains("Disabled plugins"), porta.output());
            porta.terminate();
            assertEquals(0, porta.awaitExit(), porta.output());
            // logs/ under the release's home, not under the folder it was started from
            assertTrue(Files.isRegularFile(home.resolve("logs/porta.log")), "the server log under Porta's home");
            assertTrue(Files.isRegularFile(home.resolve("logs/access.log")), "the access log under Porta's home");
            try (Stream<Path> files = Files.list(elsewhere)) {
                assertEquals(0, files.count(), "nothing written where it was started");
            }
        }
    }

    @Test
    void versionCheckAndTheCheckoutOnlyCommandsFromTheRelease() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("commands"));
        String version = output(porta(elsewhere, "--version"), 0);
        assertTrue(version.matches("(?s)Porta 0\\.1\\.0\nSPI 1\\.2\\.0\nJava " + Runtime.version().feature() + ".*\\n"), version);
        // a symbolic link to the launcher (e.g. /usr/local/bin/porta) finds the release
        Path link = Files.createSymbolicLink(elsewhere.resolve("porta"), home.resolve("bin/porta"));
        ProcessBuilder viaLink = porta(elsewhere, "--version");
        viaLink.command().set(0, link.toString());
        assertEquals(version, output(viaLink, 0));

        List<Path> before = tree(home);
        List<Path> beforeHere = tree(elsewhere);
        String ok = output(porta(elsewhere, "check", "--port", "0"), 0);
        assertTrue(ok.contains(home.resolve("conf/porta.properties") + ": configuration OK"), ok);
        assertEquals(before, tree(home), "the check (every bundled plugin's too) creates nothing");
        assertEquals(beforeHere, tree(elsewhere), "nor where it runs (no logs/porta.log)");
        assertTrue(output(porta(elsewhere, "check", "--config", "/nonexistent/porta.properties"), 2).contains("/nonexistent/porta.properties"));
        assertEquals(beforeHere, tree(elsewhere), "a check of a missing config creates nothing either");
        assertEquals(before, tree(home));
        Path bad = elsewhere.resolve("bad.properties");
        Files.writeString(bad, "server.port = 0\nstatic-index.autoindex = perhaps\nrequest-log.format = nonsense %Z\n");
        String problems = output(porta(elsewhere, "check", "--config", "bad.properties"), 2);
        assertTrue(problems.contains(bad + ":2: static-index.autoindex"), problems);
        assertTrue(problems.contains(bad + ":3: request-log.format"), problems);
        assertTrue(problems.contains("2 problems"), problems);

        String build = output(porta(elsewhere, "build"), 2);
        assertTrue(build.contains("source checkout"), build);
        assertTrue(output(porta(elsewhere, "test"), 2).contains("source checkout"));
        assertEquals(Path.of(PortaProcess.JAVA).toRealPath().getParent().getParent().toString(), output(porta(elsewhere, "java-home"), 0).strip());
    }

    @Test
    void checkNamesEveryProblemAndStartRefusesCertificateMistakesBeforeAnyPluginStarts() throws Exception {
        Path here = Files.createDirectories(dir.resolve("rules"));
        Path seven = Files.writeString(here.resolve("seven.properties"), """
                server.port = eighty
                server.host = 127.0.0.1
                server.colour = blue
                limits.nonsense = 1
                timeouts.header = forever
                errors.200 = ok.html
                static-index.autoindex = perhaps
                server.trusted-proxies = not-an-address
                """);
        String problems = output(porta(here, "check", "--config", seven.toString()), 2);
        assertTrue(problems.contains(seven + ": 7 problems"), problems);

        // the bundled acme plugin with settings while HTTPS is off: refused before it starts (it would write
        // its account key under the data folder and contact Let's Encrypt)
        Path data = here.resolve("data");
        Path acme = Files.writeString(here.resolve("acme.properties"),
                "acme.domains = example.org\nserver.port = 0\nserver.host = 127.0.0.1\nserver.data-dir = " + data + "\n");
        String expected = acme + ":1: acme.domains: plugin acme provides HTTPS certificates, but HTTPS is off";
        assertTrue(output(porta(here, "check", "--config", acme.toString()), 2).contains(expected));
        String start = output(porta(here, "--config", acme.toString()), 2);
        assertTrue(start.contains(expected), start);
        assertFalse(start.contains("[acme]"), "the acme plugin said nothing, as it never started: " + start);
        if (Files.exists(data)) {
            assertEquals(List.of(data), tree(data), "nothing written by the acme plugin");
        }
        // HTTPS without certificate lines, the acme plugin without settings: check and start agree
        Path noCert = Files.writeString(here.resolve("no-cert.properties"), "server.port = 0\nserver.https.port = 0\nserver.host = 127.0.0.1\n");
        assertTrue(output(porta(here, "check", "--config", noCert.toString()), 2).contains(noCert + ":2: server.https.port: HTTPS needs a certificate"));
        assertTrue(output(porta(here, "--config", noCert.toString()), 2).contains(noCert + ":2: server.https.port: HTTPS needs a certificate"));

        // a data folder the PID file cannot go in: check finds it, and start names the cause, not only the path
        Path aFile = Files.writeString(here.resolve("a-file"), "not a folder");
        Path noData = Files.writeString(here.resolve("no-data.properties"),
                "server.port = 0\nserver.host = 127.0.0.1\nserver.data-dir = " + aFile.resolve("data") + "\n");
        String checked = output(porta(here, "check", "--config", noData.toString()), 2);
        assertTrue(checked.contains(noData + ":3: server.data-dir: cannot write " + aFile.resolve("data/porta.pid") + ": " + aFile + " is not a folder"), checked);
        String started = output(porta(here, "--config", noData.toString()), 1);
        assertTrue(started.contains("porta: cannot write the PID file (server.data-dir): " + aFile.resolve("data") + ": Not a directory"), started);
    }

    @Test
    void theReadmesDebugSwitchShowsDebugLines() throws Exception {
        Path here = Files.createDirectories(dir.resolve("debug"));
        ProcessBuilder builder = porta(here, "--port", "0", "--host", "127.0.0.1");
        builder.environment().put("JAVA_OPTS", "-Dtinylog.writer1.level=debug");
        try (PortaProcess porta = PortaProcess.start(builder)) {
            int port = porta.awaitListening();
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.getOutputStream().write("NOT A REQUEST\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 400 "));
            }
            porta.terminate();
            porta.awaitExit();
            assertTrue(porta.output().lines().anyMatch(l -> l.contains(" DEBUG [porta] Refused 400 from ")), porta.output());
        }
    }

    static List<Path> tree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.sorted().toList();
        }
    }

    @Test
    void theSdkInstallsThePluginKitAndNewPluginWritesAProjectForThisRelease() throws Exception {
        Path work = Files.createDirectories(dir.resolve("author"));
        Path repo = work.resolve("m2");
        String sdk = output(porta(work, "sdk", "-Dmaven.repo.local=" + repo), 0);
        assertTrue(sdk.contains("dev.porta:porta-testkit:0.1.0"), sdk);
        for (String artifact : List.of("porta-parent/0.1.0/porta-parent-0.1.0.pom", "porta-spi/1.2.0/porta-spi-1.2.0.jar", "porta-spi/1.2.0/porta-spi-1.2.0.pom",
                "porta-server/0.1.0/porta-server-0.1.0.jar", "porta-server/0.1.0/porta-server-0.1.0.pom",
                "porta-testkit/0.1.0/porta-testkit-0.1.0.jar", "porta-testkit/0.1.0/porta-testkit-0.1.0.pom")) {
            assertTrue(Files.isRegularFile(repo.resolve("dev/porta/" + artifact)), artifact + " installed");
        }
        // the jars are the release's own: the testkit runs the server that is in lib/
        assertEquals(Files.mismatch(home.resolve("lib/porta.jar"), repo.resolve("dev/porta/porta-server/0.1.0/porta-server-0.1.0.jar")), -1L);
        assertTrue(output(porta(work, "sdk", "--bogus"), 2).contains("unknown argument"));

        String made = output(porta(work, "new-plugin", "hello"), 0);
        assertTrue(made.contains(home.resolve("bin/porta") + " sdk"), made);
        String pom = Files.readString(work.resolve("hello/pom.xml"));
        assertTrue(pom.contains("<porta-spi.version>1.2.0</porta-spi.version>") && pom.contains("<porta.version>0.1.0</porta.version>")
                && pom.contains("<pf4j.version>3.14.1</pf4j.version>"), pom);
        String readme = Files.readString(work.resolve("hello/README.md"));
        assertTrue(readme.contains(home.resolve("bin/porta") + " java-home") && readme.contains(home.resolve("plugins") + "/"), readme);
        try (Stream<Path> files = Files.walk(work.resolve("hello"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) assertFalse(Files.readString(f).matches("(?s).*@[A-Z_]+@.*"), "placeholders left in " + f);
            }
        }
        assertTrue(output(porta(work, "new-plugin", "status"), 2).contains("id of a plugin Porta has already"));
    }

    @Test
    void theSystemdUnitVerifiesAgainstTheUnpackedRelease() throws Exception {
        Path analyze = Stream.of("/usr/bin/systemd-analyze", "/bin/systemd-analyze").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(analyze != null, "systemd-analyze is not installed (Debian: apt-get install systemd): the unit is not verified");
        String unit = Files.readString(home.resolve("porta.service"));
        assertTrue(unit.contains("ExecStart=/opt/porta/bin/porta") && unit.contains("ExecReload=/bin/kill -HUP $MAINPID"), unit);
        for (String setting : List.of("AmbientCapabilities=CAP_NET_BIND_SERVICE", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                "PrivateTmp=yes", "ReadWritePaths=/opt/porta/logs /opt/porta/data", "User=porta")) {
            assertTrue(unit.contains(setting + "\n"), setting);
        }
        Path here = dir.resolve("porta.service");
        Files.writeString(here, unit.replace("/opt/porta", home.toString()));
        String verified = run(List.of(analyze.toString(), "verify", here.toString()), Map.of(), 0);
        assertFalse(verified.contains(here.getFileName().toString()), "no complaint about the unit: " + verified);

        // the check can fail: a unit whose ExecStart does not exist is refused
        Path broken = dir.resolve("porta-broken.service");
        Files.writeString(broken, unit.replace("/opt/porta", home.resolve("missing").toString()));
        Process p = new ProcessBuilder(analyze.toString(), "verify", broken.toString()).redirectErrorStream(true).start();
        String complaint = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() != 0 && complaint.contains("is not executable"), complaint);

        Process security = new ProcessBuilder(analyze.toString(), "security", "--offline=true", here.toString()).redirectErrorStream(true).start();
        String report = new String(security.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        security.waitFor(30, TimeUnit.SECONDS);
        Matcher score = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+) (\\S+)").matcher(report);
        if (score.find()) {
            System.out.println("systemd-analyze security --offline=true porta.service: " + score.group(1) + " " + score.group(2));
            assertTrue(Double.parseDouble(score.group(1)) <= 2.0, "exposure " + score.group(1) + ":\n" + report);
        } else {
            System.out.println("systemd-analyze security --offline=true is not available here: " + report.lines().findFirst().orElse(""));
        }
    }

}
