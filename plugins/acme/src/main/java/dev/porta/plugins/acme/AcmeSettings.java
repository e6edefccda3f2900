package dev.porta.plugins.acme;

import dev.porta.spi.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The plugin's settings, parsed in one place for {@code check} and {@code start}: every problem is a
 * {@code FILE:LINE} error.
 *
 * @param domains     the host names to get certificates for, lower case ASCII ({@code xn--} for IDNs), each
 *                    its own certificate; the first is the default for clients without SNI
 * @param email       the contact address for the account, if given
 * @param directory   the ACME directory URL
 * @param directoryCa the CA certificates to trust for the directory's own HTTPS instead of the JDK's (a test CA)
 */
record AcmeSettings(List<String> domains, Optional<String> email, URI directory, List<X509Certificate> directoryCa) {

    /** Let's Encrypt, the default directory. */
    static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    /** Let's Encrypt's staging directory (untrusted certificates, generous rate limits): for trying a setup. */
    static final URI LETS_ENCRYPT_STAGING = URI.create("https://acme-staging-v02.api.letsencrypt.org/directory");

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s,;<>]+@[^@\\s,;<>]+\\.[^@\\s,;<>]+");

    AcmeSettings {
        domains = List.copyOf(domains);
        directoryCa = List.copyOf(directoryCa);
    }

    /**
     * Reads the settings; empty when the config has no {@code acme.*} key (the plugin then stays idle and
     * provides no certificate). Reads every key, so that unknown ones are reported.
     */
    static Optional<AcmeSettings> read(Settings settings) {
        List<String> names = settings.getList("domains");
        Optional<String> email = settings.get("email");
        Optional<String> directoryText = settings.get("directory");
        Optional<Path> ca = settings.getPath("directory-ca");
        String challenge = settings.get("challenge", "http-01").trim();
        if (settings.keys().isEmpty()) return Optional.empty();
        if (names.isEmpty()) {
            throw settings.invalid("domains", "missing: the host names to get certificates for, e.g. acme.domains = example.org, www.example.org");
        }
        List<String> domains = new ArrayList<>();
        for (String name : names) {
            String domain = hostName(settings, name);
            if (!domains.contains(domain)) domains.add(domain);
        }
        if (email.isPresent() && !EMAIL.matcher(email.get().trim()).matches()) {
            throw settings.invalid("email", "'" + email.get() + "' is not an e-mail address");
        }
        if (!challenge.equalsIgnoreCase("http-01")) {
            throw settings.invalid("challenge", "'" + challenge + "': only http-01 is supported (Porta answers it on its HTTP port)");
        }
        return Optional.of(new AcmeSettings(domains, email.map(String::trim), directory(settings, directoryText),
                ca.map(p -> trusted(settings, p)).orElse(List.of())));
    }

    /** {@code name} as the lower-case ASCII host name a CA validates, or a {@code FILE:LINE} error. */
    static String hostName(Settings settings, String name) {
        String d = name.trim().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        if (d.startsWith("*.")) {
            throw settings.invalid("domains", "'" + name + "': a wildcard certificate needs the dns-01 challenge; acme answers"
                    + " http-01 only: list each name");
        }
        boolean valid;
        try {
            d = IDN.toASCII(d, IDN.USE_STD3_ASCII_RULES);
            valid = true;
        } catch (IllegalArgumentException e) {
            valid = false;
        }
        String[] labels = d.split("\\.", -1);
        valid &= d.length() <= 253 && labels.length >= 2;
        for (String label : labels) valid &= LABEL.matcher(label).matches();
        if (!valid) {
            throw settings.invalid("domains", "'" + name + "' is not a public host name (like example.org): a CA validates"
                    + " only names in the DNS");
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw settings.invalid("domains", "'" + name + "' is an address, not a host name");
        }
        return d;
    }

    private static URI directory(Settings settings, Optional<String> text) {
        if (text.isEmpty() || text.get().isBlank() || text.get().trim().equalsIgnoreCase("letsencrypt")) return LETS_ENCRYPT;
        String value = text.get().trim();
        if (value.equalsIgnoreCase("letsencrypt-staging")) return LETS_ENCRYPT_STAGING;
        try {
            URI uri = new URI(value);
            if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && uri.getUserInfo() == null) return uri;
        } catch (URISyntaxException e) {
            // explained below
        }
        throw settings.invalid("directory", "'" + value + "': expected letsencrypt, letsencrypt-staging, or the https:// URL"
                + " of an ACME directory");
    }

    private static List<X509Certificate> trusted(Settings settings, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) throw settings.invalid("directory-ca", file + " holds no certificate");
            return certs;
        } catch (IOException e) {
            throw settings.invalid("directory-ca", "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        } catch (CertificateException e) {
            throw settings.invalid("directory-ca", file + " is not a PEM certificate file (" + e.getMessage() + ")");
        }
    }

    /** How the directory is named in log lines. */
    String directoryName() {
        if (directory.equals(LETS_ENCRYPT)) return "Let's Encrypt";
        if (directory.equals(LETS_ENCRYPT_STAGING)) return "Let's Encrypt staging";
        return directory.toString();
    }
}
