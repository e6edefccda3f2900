package dev.porta.server.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One plugin's data folder, {@code DATA-DIR/PLUGIN-ID/}: created on first use, for Porta's user only
 * (mode 700 where the file system has POSIX permissions), since plugins keep state there that other
 * local users have no business reading. A folder that exists already keeps its mode: the admin's choice.
 */
final class DataFolder {

    private final Path path;
    private final boolean creates;
    private volatile boolean created;

    /** The folder of {@code pluginId} under {@code dataDir}; {@code creates} false only returns the path. */
    DataFolder(Path dataDir, String pluginId, boolean creates) {
        Path parent = dataDir.toAbsolutePath().normalize();
        Path folder = parent.resolve(pluginId).normalize();
        // the id comes from the plugin's manifest: it must name one folder right under the data folder
        if (!parent.equals(folder.getParent())) {
            throw new IllegalArgumentException("plugin id '" + pluginId + "' cannot name a folder under " + parent);
        }
        this.path = folder;
        this.creates = creates;
    }

    /** The folder; created now (with its parents) if it is the first call and the folder is missing. */
    Path path() {
        if (creates && !created) create();
        return path;
    }

    private synchronized void create() {
        if (created) return;
        try {
            Files.createDirectories(path.getParent());
            if (!Files.isDirectory(path)) {
                if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(path);
                }
            }
            created = true;
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(path)) { // made meanwhile by someone else
                created = true;
                return;
            }
            throw new UncheckedIOException("the data folder " + path + " is a file, not a folder", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + path + ": " + e, e);
        }
    }
}
