package dev.porta.plugins.acme;

import dev.porta.spi.TlsCertificate;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * What the plugin keeps in its data folder, so that a restart needs nothing from the CA:
 * <pre>
 * account.key            the ACME account's key pair (EC P-256), made once
 * accounts.properties    the account URL at each directory
 * certificates/DOMAIN.pem        the certificate chain of DOMAIN
 * certificates/DOMAIN.key        its private key
 * certificates/DOMAIN.directory  the directory it came from
 * </pre>
 * Folders are 700 and files 600 (where the file system has POSIX permissions); every file is written
 * under a temporary name made 600 before any byte goes in, then renamed into place, so that a crash never
 * leaves half a key and no key is ever readable by others, even for a moment.
 */
final class AcmeStore {

    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path folder;
    private final Path certificates;

    /** The store in {@code folder} (the plugin's data folder, which Porta made 700). */
    AcmeStore(Path folder) {
        this.folder = folder;
        this.certificates = folder.resolve("certificates");
        try {
            folderOfOwnerOnly(folder);
            folderOfOwnerOnly(certificates);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + certificates, e);
        }
    }

    private static void folderOfOwnerOnly(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (POSIX) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FOLDER));
            else Files.createDirectories(dir);
        }
        if (POSIX) Files.setPosixFilePermissions(dir, FOLDER);
    }

    /** The account key pair, made and stored on first use. */
    KeyPair accountKey() throws IOException, GeneralSecurityException {
        Path file = folder.resolve("account.key");
        if (Files.isRegularFile(file)) return Pem.readKeyPair(Files.readString(file, StandardCharsets.US_ASCII));
        KeyPair pair = newEcKey();
        writeSecret(file, Pem.keyPair(pair));
        return pair;
    }

    /** A new EC P-256 key pair (accounts and certificates: small, fast, accepted by every CA). */
    static KeyPair newEcKey() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** The account URL stored for {@code directory}. */
    Optional<URL> accountUrl(URI directory) throws IOException {
        String url = accounts().getProperty(directory.toString());
        return url == null ? Optional.empty() : Optional.of(URI.create(url).toURL());
    }

    /** Stores (or, with null, forgets) the account URL at {@code directory}. */
    synchronized void accountUrl(URI directory, URL url) throws IOException {
        Properties accounts = accounts();
        if (url == null) accounts.remove(directory.toString());
        else accounts.setProperty(directory.toString(), url.toString());
        StringWriter out = new StringWriter();
        accounts.store(out, "ACME account URL by directory URL");
        writeSecret(folder.resolve("accounts.properties"), out.toString());
    }

    private Properties accounts() throws IOException {
        Properties accounts = new Properties();
        Path file = folder.resolve("accounts.properties");
        if (Files.isRegularFile(file)) accounts.load(new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1)));
        return accounts;
    }

    /**
     * A stored certificate.
     *
     * @param certificate the key and chain
     * @param directory   the directory it came from
     */
    record Stored(TlsCertificate certificate, URI directory) {
    }

    /** The certificate stored for {@code domain}; empty when there is none (a broken one is an exception). */
    Optional<Stored> certificate(String domain) throws IOException, GeneralSecurityException {
        Path chainFile = certificates.resolve(domain + ".pem");
        Path keyFile = certificates.resolve(domain + ".key");
        Path directoryFile = certificates.resolve(domain + ".directory");
        if (!Files.isRegularFile(chainFile) || !Files.isRegularFile(keyFile)) return Optional.empty();
        List<X509Certificate> chain = Pem.readChain(Files.readString(chainFile, StandardCharsets.US_ASCII));
        if (chain.isEmpty()) throw new GeneralSecurityException(chainFile + " holds no certificate");
        PrivateKey key = Pem.readPrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
        URI directory = Files.isRegularFile(directoryFile) ? URI.create(Files.readString(directoryFile, StandardCharsets.UTF_8).trim()) : null;
        return Optional.of(new Stored(TlsCertificate.of(key, chain), directory));
    }

    /** Stores {@code certificate} for {@code domain}, from {@code directory}: key first, chain last (the chain marks it complete). */
    void certificate(String domain, TlsCertificate certificate, URI directory) throws IOException, GeneralSecurityException {
        writeSecret(certificates.resolve(domain + ".key"), Pem.privateKey(certificate.key()));
        writeSecret(certificates.resolve(domain + ".directory"), directory + "\n");
        writeSecret(certificates.resolve(domain + ".pem"), Pem.chain(certificate.chain()));
    }

    /** Writes {@code text} to {@code file}: a 600 temporary file first, renamed into place. */
    private void writeSecret(Path file, String text) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (POSIX) Files.createFile(temp, PosixFilePermissions.asFileAttribute(FILE));
        else Files.createFile(temp);
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (POSIX) Files.setPosixFilePermissions(file, FILE);
    }

    /** The folder the store lives in. */
    Path folder() {
        return folder;
    }
}
