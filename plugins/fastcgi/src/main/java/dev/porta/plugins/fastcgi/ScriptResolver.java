package dev.porta.plugins.fastcgi;

import dev.porta.spi.PluginContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * Maps a request path to the script that runs it, or to none. Only a regular file under the site folder
 * runs, reached by its real path, named with a script extension (the link's target too), neither a
 * dotfile nor in a dot-folder nor never-served.
 *
 * <p>The script is the first path segment with a script extension, the rest being {@code PATH_INFO}
 * ({@code /index.php/a/b}); if that segment is not a script file, nothing runs. This is what closes the
 * old {@code cgi.fix_pathinfo} hole: {@code /uploads/cat.jpg/x.php} names the script {@code x.php} under a
 * "folder" {@code cat.jpg}, which does not exist, so PHP is never asked to run {@code cat.jpg}.
 *
 * <p>Looked up on every request, never cached: PHP opens {@code SCRIPT_FILENAME} itself, so a script
 * replaced by a link that leads out of the site must be refused at once. The usual case costs one
 * {@code lstat} per path segment below the site folder (one for {@code /index.php}); only a path through a
 * link pays for its real path (a {@code readlink} per segment from {@code /}, a sixth of Porta's CPU per
 * request under s7's load).
 */
final class ScriptResolver {

    /**
     * A script to run.
     *
     * @param name     its URL path, the CGI {@code SCRIPT_NAME}
     * @param file     its real path, the CGI {@code SCRIPT_FILENAME}
     * @param pathInfo the rest of the request path after the script, or ""
     */
    record Script(String name, Path file, String pathInfo) {
    }

    private final Path root;
    private final List<String> extensions;
    private final List<String> indexFiles;
    private final Optional<String> frontController;
    private final PluginContext context;

    ScriptResolver(Path root, FastCgiSettings settings, PluginContext context) {
        this.root = root;
        this.extensions = settings.extensions();
        this.indexFiles = settings.indexFiles();
        this.frontController = settings.frontController();
        this.context = context;
    }

    /** The script for {@code path} (decoded and normalised by the core), or empty when none runs. */
    Optional<Script> resolve(String path) {
        if (path.contains("/.")) return Optional.empty(); // dotfiles and dot-folders never run, nor go to a front controller
        int start = 1;
        while (start < path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) end = path.length();
            if (extensions.contains(FastCgiSettings.extension(path.substring(start, end)))) {
                String name = path.substring(0, end);
                return runnable(name).map(file -> new Script(name, file, path.substring(name.length())));
            }
            start = end + 1;
        }
        if (path.endsWith("/")) {
            for (String index : indexFiles) {
                Optional<Path> file = runnable(path + index);
                if (file.isPresent()) return Optional.of(new Script(path + index, file.get(), ""));
            }
            return Optional.empty();
        }
        if (frontController.isPresent() && !exists(path)) {
            String name = frontController.get();
            return runnable(name).map(file -> new Script(name, file, ""));
        }
        return Optional.empty();
    }

    /** The real path of the script at URL path {@code name}, if it may run. */
    private Optional<Path> runnable(String name) {
        try {
            Path path = root.resolve(name.substring(1));
            BasicFileAttributes plain = attributesWithoutLinks(name);
            Path real = plain != null ? path : path.toRealPath(); // no link on the way: the path is its own real path
            boolean regular = plain != null ? plain.isRegularFile() : Files.isRegularFile(real);
            String fileName = real.getFileName().toString();
            if (!real.startsWith(root) || fileName.startsWith(".") || !extensions.contains(FastCgiSettings.extension(fileName))
                    || !regular || context.isNeverServed(real)
                    || ("/" + root.relativize(real)).contains("/.")) {
                return Optional.empty();
            }
            return Optional.of(real);
        } catch (IOException e) {
            return Optional.empty(); // missing, "not a directory" (cat.jpg/x.php), no permission, a loop of links
        }
    }

    /**
     * The attributes of {@code name} under the (real) site folder, read segment by segment without following
     * links; null when a segment is a link (the caller resolves the real path). An exception when a segment
     * is missing.
     */
    private BasicFileAttributes attributesWithoutLinks(String name) throws IOException {
        Path p = root;
        BasicFileAttributes last = null;
        int start = 1;
        while (start < name.length()) {
            int end = name.indexOf('/', start);
            if (end < 0) end = name.length();
            p = p.resolve(name.substring(start, end));
            last = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (last.isSymbolicLink()) return null;
            start = end + 1;
        }
        return last;
    }

    /** Whether a file or folder is at {@code path}: such a path is never handed to the front controller. */
    private boolean exists(String path) {
        return Files.exists(root.resolve(path.substring(1)), LinkOption.NOFOLLOW_LINKS);
    }
}
