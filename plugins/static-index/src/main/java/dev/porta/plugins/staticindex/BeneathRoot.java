package dev.porta.plugins.staticindex;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Opens a file under the root without a race, as {@code openat(…, O_NOFOLLOW)} / {@code RESOLVE_BENEATH}
 * would: each folder below the root is opened relative to the one above it, without following a link, and
 * the file is opened relative to its folder, without following a link. A lookup by path that is followed by
 * an open by path can be raced: a file swapped for a link to a file outside the root between the two is
 * opened through the link. Here nothing is looked up by path once it was checked; the content and the size
 * come from the opened channel.
 *
 * <p>A link on the way is followed only as a whole: its real path is worked out, must lie under the root (or
 * links may leave it), and is then walked again the same way; a link swapped in meanwhile fails the walk.
 */
final class BeneathRoot {

    private static final Set<StandardOpenOption> READ = Set.of(StandardOpenOption.READ);
    private static final Set<java.nio.file.OpenOption> READ_NOFOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    /**
     * A file opened for reading, with its attributes as they were when it was opened.
     *
     * @param real    its real path (reached through no link)
     * @param channel the open channel: whoever takes it closes it
     * @param attrs   its attributes (a regular file)
     */
    record Opened(Path real, FileChannel channel, BasicFileAttributes attrs) {
    }

    private final Path root;
    private final boolean linksMayLeave;
    private final Predicate<Path> refused;

    /**
     * @param root          the site folder, a real path
     * @param linksMayLeave whether a link may lead outside the root ({@code symlinks = follow})
     * @param refused       real paths never to be opened (never-served files, dotfiles)
     */
    BeneathRoot(Path root, boolean linksMayLeave, Predicate<Path> refused) {
        this.root = root;
        this.linksMayLeave = linksMayLeave;
        this.refused = refused;
    }

    /**
     * {@code file} (a path under the root, or a real path a permitted link led to) opened for reading, or
     * null when it is not a regular file, is gone, may not be served, or was swapped while being opened.
     */
    Opened open(Path file) throws IOException {
        if (file.startsWith(root)) {
            Opened opened = walk(file, false);
            if (opened != THROUGH_LINK) return opened;
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return null;
        }
        if (real.startsWith(root)) {
            Opened opened = walk(real, true);
            return opened == THROUGH_LINK ? null : opened; // a link where the real path had none: swapped
        }
        if (!linksMayLeave || refused.test(real)) return null;
        // symlinks = follow: the admin let links leave the root, so there is no "beneath" to keep to
        FileChannel channel = FileChannel.open(real, READ);
        try {
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                channel.close();
                return null;
            }
            return new Opened(real, channel, attrs);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** What {@link #walk} answers when it met a link (not swapped in: it was there when it looked). */
    private static final Opened THROUGH_LINK = new Opened(null, null, null);

    /**
     * Walks {@code file} from the root without following links; {@link #THROUGH_LINK} if a component is a
     * link, null if the file cannot be served. {@code again}: this is the real path of a link, so a
     * link now means that something was swapped: refused.
     */
    private Opened walk(Path file, boolean again) throws IOException {
        if (refused.test(file)) return null;
        DirectoryStream<Path> top;
        try {
            top = Files.newDirectoryStream(root);
        } catch (IOException e) {
            return null;
        }
        if (!(top instanceof SecureDirectoryStream<Path> dir)) {
            top.close();
            return walkByPath(file); // no openat on this system: the best a path allows
        }
        SecureDirectoryStream<Path> current = dir;
        try {
            int names = file.getNameCount();
            for (int i = root.getNameCount(); i < names; i++) {
                Path name = file.getName(i);
                BasicFileAttributes attrs;
                try {
                    attrs = current.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
                } catch (IOException e) {
                    return null; // gone, no permission
                }
                if (attrs.isSymbolicLink()) return again ? null : THROUGH_LINK;
                if (i < names - 1) {
                    if (!attrs.isDirectory()) return null;
                    SecureDirectoryStream<Path> next;
                    try {
                        next = current.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS); // fails on a link swapped in
                    } catch (IOException e) {
                        return null;
                    }
                    current.close();
                    current = next;
                    continue;
                }
                if (!attrs.isRegularFile()) return null; // never open a FIFO or a device: an open could block
                FileChannel channel;
                try {
                    SeekableByteChannel c = current.newByteChannel(name, READ_NOFOLLOW); // O_NOFOLLOW: fails on a link
                    if (!(c instanceof FileChannel fc)) {
                        c.close();
                        return null;
                    }
                    channel = fc;
                } catch (IOException e) {
                    return null;
                }
                // Its attributes, read again now that it is open: the same file (identity) as was checked, and
                // the size from the channel itself, so what is sent is described by what was opened.
                try {
                    BasicFileAttributes after = current.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
                    if (!after.isRegularFile() || !Objects.equals(after.fileKey(), attrs.fileKey()) || after.size() != channel.size()) {
                        channel.close();
                        return null;
                    }
                    return new Opened(file, channel, after);
                } catch (IOException e) {
                    channel.close();
                    return null;
                }
            }
            return null; // the root itself is no file
        } finally {
            current.close();
        }
    }

    /** Without {@link SecureDirectoryStream}: check by path, open without following the last link. */
    private Opened walkByPath(Path file) throws IOException {
        for (int i = root.getNameCount() + 1; i <= file.getNameCount(); i++) {
            Path at = file.getRoot().resolve(file.subpath(0, i));
            if (Files.isSymbolicLink(at)) return THROUGH_LINK;
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, READ_NOFOLLOW);
        } catch (IOException e) {
            return null;
        }
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isRegularFile()) {
            channel.close();
            return null;
        }
        return new Opened(file, channel, attrs);
    }
}
