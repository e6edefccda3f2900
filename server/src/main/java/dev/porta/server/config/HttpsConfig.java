package dev.porta.server.config;

import dev.porta.spi.ConfigException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The HTTPS listener: {@code server.https.port}, the certificates ({@code server.https.cert.NAME}, in file
 * order: the first is the default for clients that send no SNI) and {@code server.https.hsts}. Only the
 * syntax is checked here; the files are read by {@code dev.porta.server.tls.Certificates}. Without any
 * certificate line the certificates must come from a plugin ({@code CertificateProvider}, e.g. acme):
 * start-up checks that one serves some name, else it stops with {@link #NO_CERTIFICATE}.
 *
 * @param port         the port (0: any free port)
 * @param certificates the certificates, the default first (empty: plugins provide them)
 * @param hsts         the {@code Strict-Transport-Security} value for HTTPS answers, if any
 */
public record HttpsConfig(int port, List<CertificateSpec> certificates, Optional<String> hsts) {

    private static final String CERT = "https.cert.";

    /** Why HTTPS without certificate lines cannot start when no plugin provides certificates. */
    public static final String NO_CERTIFICATE = "HTTPS needs a certificate: server.https.cert.NAME = CHAIN.pem, KEY.pem"
            + " (or = STORE.p12 with server.https.cert.NAME.password), or a plugin that provides certificates:"
            + " acme (plugins/acme.jar) with acme.domains = example.org";
    private static final Pattern HSTS = Pattern.compile(
            "max-age=\\d{1,10}(\\s*;\\s*(includeSubDomains|preload))*", Pattern.CASE_INSENSITIVE);

    public HttpsConfig {
        certificates = List.copyOf(certificates);
    }

    /**
     * One certificate line: {@code CHAIN.pem, KEY.pem} or {@code STORE.p12} (with {@code NAME.password}).
     *
     * @param name     the NAME of {@code server.https.cert.NAME}
     * @param where    {@code FILE:LINE} of its line, for messages
     * @param files    the chain and the key, or the one PKCS#12 store
     * @param password the store's password (empty for PEM files)
     */
    public record CertificateSpec(String name, String where, List<Path> files, Optional<String> password) {

        public CertificateSpec {
            files = List.copyOf(files);
        }

        /** Whether this is a PKCS#12 store rather than PEM files. */
        public boolean isStore() {
            return files.size() == 1;
        }

        /** The file that holds the private key (the key file, or the store): never to be served. */
        public Path keyFile() {
            return files.get(files.size() - 1);
        }

        /** A problem with this certificate, as {@code FILE:LINE: server.https.cert.NAME: why}. */
        public ConfigException invalid(String why) {
            return new ConfigException(where + ": server." + CERT + name + ": " + why);
        }

        @Override
        public String toString() { // without the password
            return name + " " + files;
        }
    }

    /** Reads the {@code server.https.*} keys; empty when HTTPS is off (no port set). */
    static Optional<HttpsConfig> read(ConfigFile file, ConfigSettings server) {
        List<CertificateSpec> certs = new ArrayList<>();
        for (ConfigFile.Entry e : file.entries().values()) { // file order: the first is the default
            String key = e.key().substring(Math.min(e.key().length(), "server.".length()));
            if (!e.key().startsWith("server." + CERT) || key.endsWith(".password")) continue;
            String name = key.substring(CERT.length());
            if (name.isEmpty() || name.contains(".")) throw server.invalid(key, "expected server.https.cert.NAME = CHAIN.pem, KEY.pem");
            certs.add(spec(file, server, key, name, file.where(e)));
        }
        for (String key : server.keys()) {
            if (key.startsWith(CERT) && key.endsWith(".password")) {
                String of = key.substring(0, key.length() - ".password".length());
                if (server.get(of).isEmpty()) throw server.invalid(key, "there is no server." + of + " line for this password");
            }
        }
        Optional<String> portText = server.get("https.port");
        Optional<String> hsts = server.get("https.hsts");
        if (portText.isEmpty()) {
            if (!certs.isEmpty()) throw server.invalid(CERT + certs.get(0).name(), "certificates need server.https.port (443, say)");
            if (hsts.isPresent()) throw server.invalid("https.hsts", "needs server.https.port");
            return Optional.empty();
        }
        int port = server.getInt("https.port", 443);
        if (port < 0 || port > 65535) throw server.invalid("https.port", port + " is not a port number (0-65535)");
        // no certificate line: a plugin may provide them (acme); Porta.start stops with this line's FILE:LINE if none does
        if (hsts.isPresent() && !HSTS.matcher(hsts.get()).matches()) {
            throw server.invalid("https.hsts", "'" + hsts.get() + "' is not a Strict-Transport-Security value"
                    + " (e.g. max-age=31536000; includeSubDomains)");
        }
        return Optional.of(new HttpsConfig(port, certs, hsts));
    }

    private static CertificateSpec spec(ConfigFile file, ConfigSettings server, String key, String name, String where) {
        List<String> items = server.getList(key);
        Optional<String> password = server.get(key + ".password");
        List<Path> paths = new ArrayList<>();
        for (String item : items) {
            try {
                paths.add(file.home().resolve(item).normalize());
            } catch (InvalidPathException e) {
                throw server.invalid(key, "'" + item + "' is not a valid path");
            }
        }
        if (paths.isEmpty() || paths.size() > 2) {
            throw server.invalid(key, "expected CHAIN.pem, KEY.pem (a full chain and its key) or one PKCS#12 store");
        }
        if (paths.size() == 1 && paths.get(0).toString().toLowerCase(java.util.Locale.ROOT).endsWith(".pem")) {
            throw server.invalid(key, "a PEM certificate needs its key file too: CHAIN.pem, KEY.pem");
        }
        if (paths.size() == 2 && password.isPresent()) {
            throw server.invalid(key + ".password", "only a PKCS#12 store has a password; PEM keys must be unencrypted");
        }
        return new CertificateSpec(name, where, paths, paths.size() == 1 ? password.or(() -> Optional.of("")) : Optional.empty());
    }
}
