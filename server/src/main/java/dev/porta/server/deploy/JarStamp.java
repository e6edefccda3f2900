package dev.porta.server.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * What tells one version of a plugin jar from another at the same path: size, modification time and the
 * file's identity (inode), so that a jar renamed over the old one is seen even with the same size and time.
 *
 * @param size          bytes
 * @param modifiedMillis last modification
 * @param fileKey       the file system's identity of the file, as text; empty where there is none
 */
public record JarStamp(long size, long modifiedMillis, String fileKey) {

    /** The stamp of {@code jar} now; empty when it is gone or no regular file. */
    public static Optional<JarStamp> of(Path jar) {
        try {
            BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile() && !Files.isRegularFile(jar)) return Optional.empty();
            if (a.isSymbolicLink()) a = Files.readAttributes(jar, BasicFileAttributes.class);
            return Optional.of(new JarStamp(a.size(), a.lastModifiedTime().toMillis(), Objects.toString(a.fileKey(), "")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
