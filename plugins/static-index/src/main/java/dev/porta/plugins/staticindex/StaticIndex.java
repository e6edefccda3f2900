package dev.porta.plugins.staticindex;

import dev.porta.spi.Body;
import dev.porta.spi.Chain;
import dev.porta.spi.Handler;
import dev.porta.spi.Headers;
import dev.porta.spi.PluginContext;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import dev.porta.spi.http.ByteRange;
import dev.porta.spi.http.ByteRanges;
import dev.porta.spi.http.QualityList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.pf4j.Extension;
import org.tinylog.TaggedLogger;

/**
 * Serves the site folder: files by GET and HEAD, a folder by its first index file, with caching headers,
 * ranges and precompressed variants. Never a byte outside the root (links that leave it are not followed
 * unless allowed), no dotfile, no registered secret, and no script as source: a script is passed down the
 * chain, and when nobody runs it the answer is 403. A path with no file is passed on too; if nobody
 * handles it, 404.
 */
@Extension(ordinal = 1000)
public final class StaticIndex implements Handler {

    private final java.util.concurrent.atomic.AtomicBoolean scriptRefusalLogged = new java.util.concurrent.atomic.AtomicBoolean();

    private static final String ALLOW = "GET, HEAD";

    private PluginContext context;
    private TaggedLogger log;
    private Path root;
    private StaticSettings settings;
    private MediaTypes mediaTypes;
    private Representations representations;
    private FreshFiles fresh;
    private BeneathRoot beneathRoot;

    /** Reads and checks the settings; keeps nothing. */
    @Override
    public void check(PluginContext context) {
        StaticSettings.read(context.settings());
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
        this.log = context.logger();
        this.root = context.documentRoot();
        this.settings = StaticSettings.read(context.settings());
        this.mediaTypes = new MediaTypes(settings.types());
        this.representations = new Representations(settings.cacheFileBytes(), settings.cacheTotalBytes(), mediaTypes);
        this.fresh = new FreshFiles(settings.revalidate().toNanos());
        this.beneathRoot = new BeneathRoot(root, settings.followSymlinks(), real -> context.isNeverServed(real) || hidden(real));
        log.info("serves {} (index: {}; autoindex {})", root, String.join(", ", settings.indexFiles()),
                settings.autoindex() ? "on" : "off");
    }

    @Override
    public Response handle(Request request, Chain chain) throws IOException {
        String path = request.path();
        if (!path.startsWith("/") || !visible(path)) return Response.of(404);
        // The core normalised the path; never trust it blindly all the same (a plugin before us may have rewritten it).
        if (path.contains("/../") || path.endsWith("/..") || path.contains("\0")) return Response.of(404);
        Path file = path.length() == 1 ? root : root.resolve(path.substring(1));
        Resolved resolved = resolve(file, false);
        // Path drops a trailing slash, so "/index.html/" found the file: only a folder ends in one (nginx: 404).
        if (resolved != null && path.endsWith("/") && !resolved.attrs().isDirectory()) resolved = null;
        if (resolved == null) {
            Response next = chain.next(request);
            return next.handled() ? next : Response.of(404);
        }
        BasicFileAttributes attrs = resolved.attrs();
        if (attrs.isDirectory()) return folder(request, chain, resolved.real(), path);
        if (!attrs.isRegularFile()) return Response.of(404);
        return file(request, chain, resolved, path);
    }

    /** How a file was found: what may be trusted without a new look. */
    private enum Found {
        /** From {@link FreshFiles}, not looked at now: its content must come from memory. */
        TRUSTED,
        /** Looked at now, no link on the way: may be trusted for a while if its content is kept in memory. */
        LOOKED_UP,
        /** Looked at now through a link: looked at again on every request. */
        LINKED
    }

    /**
     * A file that may be served, with its attributes.
     *
     * @param real  its real path
     * @param attrs its attributes
     * @param found how it was found
     */
    private record Resolved(Path real, BasicFileAttributes attrs, Found found) {
    }

    /**
     * Finds {@code file} (a path under the root, without {@code .} or {@code ..}) with as few system calls
     * as it takes: none while a lookup of it is fresh ({@link FreshFiles}); otherwise each component below
     * the root is looked at without following links; only when one of them is a link is the real path
     * worked out, and it must still lie under the root unless links may leave it. Null when it does not
     * exist or may not be served; {@code rememberMissing}: a file found missing is remembered as such for
     * a while (the precompressed variants, which most files lack).
     */
    private Resolved resolve(Path file, boolean rememberMissing) {
        FreshFiles.Lookup known = fresh.get(file);
        if (known != null) {
            if (!known.exists() || context.isNeverServed(file)) return null;
            return new Resolved(file, known.attrs(), Found.TRUSTED);
        }
        if (!file.startsWith(root)) return followingLinks(file); // below a folder a permitted link led out of the root
        try {
            BasicFileAttributes attrs = null;
            int names = file.getNameCount();
            for (int i = root.getNameCount() + 1; i <= names; i++) {
                Path at = i == names ? file : file.getRoot().resolve(file.subpath(0, i));
                attrs = Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attrs.isSymbolicLink()) return followingLinks(file);
            }
            if (attrs == null) attrs = Files.readAttributes(root, BasicFileAttributes.class);
            if (context.isNeverServed(file)) return null; // real: the root is, and no component is a link
            return new Resolved(file, attrs, Found.LOOKED_UP);
        } catch (NoSuchFileException e) {
            if (rememberMissing) fresh.missing(file);
            return null;
        } catch (IOException e) {
            return null; // "not a directory", no permission
        }
    }

    /** {@code file} by its real path, when a link is on the way: the slow path of {@link #resolve}. */
    private Resolved followingLinks(Path file) {
        try {
            Optional<Path> real = allowedRealPath(file);
            BasicFileAttributes target = real.isEmpty() ? null : attributes(real.get());
            return target == null ? null : new Resolved(real.get(), target, Found.LINKED);
        } catch (IOException e) {
            return null;
        }
    }

    /** The file's attributes (one stat), or null if it is gone. */
    private static BasicFileAttributes attributes(Path real) {
        try {
            return Files.readAttributes(real, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    private Response folder(Request request, Chain chain, Path folder, String path) throws IOException {
        if (!path.endsWith("/")) {
            String location = UrlPaths.encode(path + "/") + (request.query().isEmpty() ? "" : "?" + request.query());
            return Response.of(301).withHeader("Location", location);
        }
        for (String index : settings.indexFiles()) {
            Resolved candidate = resolve(folder.resolve(index), false);
            if (candidate != null && candidate.attrs().isRegularFile()) {
                return file(request.withPath(path + index), chain, candidate, path + index);
            }
        }
        if (!settings.autoindex()) return Response.of(404);
        if (!isGetOrHead(request)) return Response.of(405).withHeader("Allow", ALLOW);
        String html = DirectoryListing.render(folder, path, p -> isListable(p));
        return Response.of(200).withHeader("Content-Type", "text/html; charset=utf-8")
                .withHeader("X-Content-Type-Options", "nosniff").withBody(Body.of(html));
    }

    /** Whether {@code name} is a precompressed copy of a script ({@code x.php.gz}, {@code x.php.br}). */
    private boolean isCompressedScript(String name) {
        if (!name.endsWith(".gz") && !name.endsWith(".br")) return false;
        return settings.scriptExtensions().contains(MediaTypes.extension(name.substring(0, name.length() - 3)));
    }

    /**
     * Logs a refused script: the first at WARN, so that an admin learns that nothing runs scripts; the
     * rest at DEBUG, so that anyone asking for scripts cannot fill the log.
     */
    private void refusedScript(String path, String name) {
        if (scriptRefusalLogged.compareAndSet(false, true)) {
            log.warn("Refused {}: {} is a script and no plugin runs scripts (it is never sent as source; further refusals are logged at debug)", path, name);
        } else {
            log.debug("Refused {}: {} is a script and no plugin runs scripts", path, name);
        }
    }

    private Response file(Request request, Chain chain, Resolved resolved, String path) throws IOException {
        Path file = resolved.real();
        String name = file.getFileName().toString();
        if (settings.scriptExtensions().contains(MediaTypes.extension(name))) {
            if (resolved.found() == Found.LOOKED_UP) fresh.script(file, resolved.attrs()); // never sent: see FreshFiles
            Response next = chain.next(request);
            if (next.handled()) return next;
            if (resolved.found() == Found.TRUSTED) {
                // nothing ran it: perhaps it is gone since the lookup was trusted (a 404, not "no plugin runs scripts")
                fresh.forget(file);
                Resolved now = resolve(file, false);
                if (now == null || !now.attrs().isRegularFile()) return Response.of(404);
            }
            refusedScript(path, name);
            return Response.of(403);
        }
        if (isCompressedScript(name)) { // x.php.gz is the script's source too, compressed
            refusedScript(path, name);
            return Response.of(403);
        }
        if (!isGetOrHead(request)) return Response.of(405).withHeader("Allow", ALLOW);

        Resolved sent = resolved;
        String encoding = null;
        boolean hasVariants = false;
        String accept = String.join(",", request.headers().all("Accept-Encoding"));
        // Only a client that accepts br or gzip can be sent a variant: skip the look-ups for the others.
        if (settings.precompressed() && !accept.isEmpty() && !name.endsWith(".gz") && !name.endsWith(".br")) {
            Resolved br = variant(file, ".br");
            Resolved gz = variant(file, ".gz");
            hasVariants = br != null || gz != null;
            QualityList accepted = QualityList.parse(accept);
            // the client's preference decides; at equal weight br, the smaller
            int brWeight = br == null ? 0 : accepted.quality("br");
            int gzWeight = gz == null ? 0 : accepted.quality("gzip");
            Resolved chosen = brWeight > 0 && brWeight >= gzWeight ? br : gzWeight > 0 ? gz : null;
            if (chosen != null) {
                sent = chosen;
                encoding = chosen == br ? "br" : "gzip";
            }
        }

        boolean trusted = sent.found() == Found.TRUSTED;
        // Not trusted: opened now, beneath the root without following a link swapped in since the lookup;
        // what is sent (its size, its bytes) comes from that channel, never from the path again.
        BeneathRoot.Opened opened = null;
        if (!trusted) {
            opened = beneathRoot.open(sent.real());
            if (opened == null) return Response.of(404); // gone, or swapped for a link since it was looked up
        }
        boolean handedOver = false;
        try {
            BasicFileAttributes attrs = trusted ? sent.attrs() : opened.attrs();
            Path real = trusted ? sent.real() : opened.real();
            Representations.Representation rep = representations.get(real, attrs, name, encoding,
                    trusted ? null : opened.channel());
            if (rep == null) return lookAgain(request, chain, sent); // trusted, but its content has left memory
            if (sent.found() == Found.LOOKED_UP && rep.bytes() != null && real.equals(sent.real())) fresh.inMemory(real, attrs);
            Headers headers = rep.headers();
            Optional<String> cacheControl = settings.cacheControl().forPath(path);
            if (cacheControl.isPresent()) headers = headers.with("Cache-Control", cacheControl.get());
            if (hasVariants) headers = headers.with("Vary", "Accept-Encoding");
            if (encoding != null) headers = headers.with("Content-Encoding", encoding);

            Optional<Integer> precondition = Preconditions.evaluate(request, rep.etag(), rep.modified());
            if (precondition.isPresent()) {
                int status = precondition.get();
                return status == 304 ? Response.of(304, headers.without("Accept-Ranges").without("Content-Type")
                        .without("X-Content-Type-Options"), Body.empty()) : Response.of(status);
            }

            long length = attrs.size();
            Optional<String> range = request.header("Range");
            if (range.isPresent() && request.method().equals("GET") && Preconditions.ifRangeHolds(request, rep.etag(), rep.modified())) {
                Optional<ByteRanges> ranges = ByteRanges.parse(range.get(), length);
                if (ranges.isPresent()) {
                    if (trusted) return lookAgain(request, chain, sent); // ranges are read from disk: open it first
                    Response partial = partial(opened, headers, ranges.get(), length, mediaTypes.of(name));
                    handedOver = partial.body() instanceof Body.OpenFile || partial.body() instanceof Body.Stream;
                    return partial;
                }
            }
            if (rep.bytes() != null) return Response.of(200, headers, Body.of(rep.bytes()));
            handedOver = true; // the core sends it zero-copy from the channel that was checked, and closes it
            return Response.of(200, headers, new Body.OpenFile(real, opened.channel(), 0, length));
        } finally {
            if (opened != null && !handedOver) opened.channel().close();
        }
    }

    /**
     * The request once more, {@code trusted}'s lookup dropped: its response must be read from disk, which
     * is only done right after a look. Each round drops one trusted lookup, so this ends.
     */
    private Response lookAgain(Request request, Chain chain, Resolved trusted) throws IOException {
        fresh.forget(trusted.real());
        return handle(request, chain);
    }

    private Response partial(BeneathRoot.Opened file, Headers headers, ByteRanges byteRanges, long length, String type) {
        if (!byteRanges.isSatisfiable()) {
            return Response.of(416).withHeader("Content-Range", ByteRanges.unsatisfiedContentRange(length));
        }
        List<ByteRange> ranges = byteRanges.ranges();
        if (ranges.size() == 1) {
            ByteRange r = ranges.get(0);
            return Response.of(206, headers.with("Content-Range", r.contentRange(length)),
                    new Body.OpenFile(file.real(), file.channel(), r.first(), r.length()));
        }
        String boundary = "porta-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        MultipartRanges multipart = new MultipartRanges(file.real(), file.channel(), ranges, boundary, type, length);
        return Response.of(206, headers.withOnly("Content-Type", "multipart/byteranges; boundary=" + boundary),
                new Body.Stream(multipart, multipart.length()));
    }

    /**
     * The real path of {@code file} if it exists and may be served: inside the root (unless links may
     * leave it) and not registered as never-to-be-served.
     */
    private Optional<Path> allowedRealPath(Path file) throws IOException {
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // e.g. "not a directory" for /file.html/x, a loop of links, no permission
            return Optional.empty();
        }
        if (!real.startsWith(root) && !settings.followSymlinks()) {
            log.debug("Not following {}: it leads outside the root to {}", file, real);
            return Optional.empty();
        }
        if (context.isNeverServed(real) || hidden(real)) return Optional.empty(); // a link to .env is .env
        return Optional.of(real);
    }

    /** FILE.br or FILE.gz beside {@code file}, if it exists as a regular file that may be served. */
    private Resolved variant(Path file, String suffix) {
        Resolved r = resolve(file.resolveSibling(file.getFileName() + suffix), true);
        return r != null && r.attrs().isRegularFile() ? r : null;
    }

    /**
     * Whether {@code real}, a real path, names a dotfile (or lies in a dot-folder) below the root while
     * dotfiles are not served: a link inside the root to {@code .env} is refused like {@code /.env} itself.
     */
    private boolean hidden(Path real) {
        if (settings.dotfiles() || !real.startsWith(root)) return false;
        StringBuilder url = new StringBuilder();
        for (Path name : root.relativize(real)) url.append('/').append(name);
        return url.length() > 0 && !visible(url.toString());
    }

    /** Whether no segment of a URL path is hidden (a dotfile), {@code /.well-known/} excepted (RFC 8615). */
    private boolean visible(String path) {
        if (settings.dotfiles()) return true;
        int start = 1;
        boolean first = true;
        while (start < path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) end = path.length();
            if (end > start && path.charAt(start) == '.') {
                if (!(first && path.startsWith(".well-known", start) && end - start == ".well-known".length())) return false;
            }
            first = false;
            start = end + 1;
        }
        return true;
    }

    private boolean isListable(Path entry) {
        String name = entry.getFileName().toString();
        if (!settings.dotfiles() && name.startsWith(".")) return false;
        try {
            return allowedRealPath(entry).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isGetOrHead(Request request) {
        return request.method().equals("GET") || request.method().equals("HEAD");
    }
}
