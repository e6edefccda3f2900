package dev.porta.server.tls;

import dev.porta.server.config.HttpsConfig;
import dev.porta.server.config.HttpsConfig.CertificateSpec;
import dev.porta.spi.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * The configured certificates, read at start (a problem stops start-up with {@code FILE:LINE}) and
 * re-read when one of their files, or the target of its symlink, changes: certbot writes renewed files
 * under {@code archive/} and switches the links in {@code live/}. A broken new version is logged and the
 * old certificate stays. Each key file (and its real path after a switch) is registered as never served.
 */
public final class Certificates implements AutoCloseable {

    /** How often the files are looked at. */
    static final long CHECK_MILLIS = 1000;

    private final List<CertificateSpec> specs;
    private final Consumer<Path> neverServe;
    private volatile List<Identity> current;
    private final List<List<Stamp>> stamps = new ArrayList<>();
    private final Thread watcher;

    private Certificates(List<CertificateSpec> specs, Consumer<Path> neverServe) {
        this.specs = specs;
        this.neverServe = neverServe;
        List<Identity> loaded = new ArrayList<>();
        for (CertificateSpec spec : specs) {
            stamps.add(stamps(spec));
            loaded.add(CertificateFiles.read(spec));
            registerKey(spec);
        }
        this.current = List.copyOf(loaded);
        this.watcher = Thread.ofPlatform().name("porta-certificates").daemon().unstarted(this::watch);
    }

    /**
     * Reads the certificates of {@code https} and starts watching their files; {@code neverServe} is told
     * each key file and store.
     *
     * @throws ConfigException naming the config line of a certificate that cannot be used
     */
    public static Certificates load(HttpsConfig https, Consumer<Path> neverServe) {
        Certificates certificates = new Certificates(https.certificates(), neverServe);
        for (Identity i : certificates.current) Logger.info("Certificate {}", i);
        // served all the same (an admin may be renewing it), but said loudly: browsers refuse it
        for (String problem : certificates.outOfDate(Instant.now())) Logger.warn("{}", problem);
        certificates.watcher.start();
        return certificates;
    }

    /**
     * {@code FILE:LINE: server.https.cert.NAME: certificate for NAMES expired on DATE} (or {@code is not valid
     * before DATE}) for each certificate that is not valid at {@code now}, for {@code porta check} and the
     * start-up warning.
     */
    public List<String> outOfDate(Instant now) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            X509Certificate leaf = current.get(i).chain()[0];
            String names = String.join(", ", current.get(i).hostNames());
            String subject = "certificate for " + (names.isEmpty() ? leaf.getSubjectX500Principal().getName() : names);
            if (now.isAfter(leaf.getNotAfter().toInstant())) {
                problems.add(specs.get(i).invalid(subject + " expired on " + leaf.getNotAfter().toInstant()).getMessage());
            } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
                problems.add(specs.get(i).invalid(subject + " is not valid before " + leaf.getNotBefore().toInstant()).getMessage());
            }
        }
        return problems;
    }

    /** The certificates now served, the default first. */
    List<Identity> current() {
        return current;
    }

    private void registerKey(CertificateSpec spec) {
        neverServe.accept(spec.keyFile());
        try {
            neverServe.accept(spec.keyFile().toRealPath());
        } catch (IOException e) {
            // read a moment ago; gone now: the next check reports it
        }
    }

    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(CHECK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            checkOnce();
        }
    }

    /** Re-reads each certificate whose files changed since they were last read (or last tried). */
    void checkOnce() {
        for (int k = 0; k < specs.size(); k++) {
            CertificateSpec spec = specs.get(k);
            List<Stamp> now = stamps(spec);
            if (now.equals(stamps.get(k))) continue;
            stamps.set(k, now);
            try {
                Identity fresh = CertificateFiles.read(spec);
                registerKey(spec);
                List<Identity> next = new ArrayList<>(current);
                next.set(k, fresh);
                current = List.copyOf(next);
                Logger.info("Certificate {} reloaded: {}, valid until {}", spec.name(), fresh, fresh.chain()[0].getNotAfter().toInstant());
            } catch (ConfigException e) {
                Logger.warn("Certificate {} changed but cannot be used; the previous one stays: {}", spec.name(), e.getMessage());
            } catch (RuntimeException e) {
                Logger.warn("Certificate {} changed but cannot be read; the previous one stays: {}", spec.name(), e.toString());
            }
        }
    }

    /** What identifies a version of a file: its real path (a switched symlink changes it), time and size. */
    private record Stamp(Path real, long modifiedMillis, long size) {
    }

    private static List<Stamp> stamps(CertificateSpec spec) {
        List<Stamp> result = new ArrayList<>();
        for (Path file : spec.files()) {
            try {
                Path real = file.toRealPath();
                BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
                result.add(new Stamp(real, a.lastModifiedTime().toMillis(), a.size()));
            } catch (IOException e) {
                result.add(new Stamp(file, -1, -1));
            }
        }
        return result;
    }

    /** Stops watching the files. */
    @Override
    public void close() {
        watcher.interrupt();
    }

    @Override
    public String toString() {
        return Objects.toString(current);
    }
}
