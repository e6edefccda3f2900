package dev.porta.plugins.staticindex;

import dev.porta.spi.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The plugin's settings ({@code static-index.*} in the config), read and checked once at start.
 *
 * @param indexFiles        names tried, in order, for a folder
 * @param autoindex         list a folder that has no index file
 * @param scriptExtensions  extensions never sent as source
 * @param dotfiles          serve names starting with a dot ({@code /.well-known/} always is)
 * @param followSymlinks    follow symbolic links that lead outside the root
 * @param precompressed     send FILE.br / FILE.gz to clients that accept them
 * @param cacheFileBytes    largest file kept in memory
 * @param cacheTotalBytes   memory for cached files in all
 * @param revalidate        how long the lookup of a file whose content is in memory (or of a missing variant) is
 *                          trusted; zero looks at the disk on every request
 * @param cacheControl      Cache-Control rules
 * @param types             extra extension → media type
 */
record StaticSettings(List<String> indexFiles, boolean autoindex, List<String> scriptExtensions, boolean dotfiles,
                      boolean followSymlinks, boolean precompressed, long cacheFileBytes, long cacheTotalBytes,
                      Duration revalidate, CacheControlRules cacheControl, Map<String, String> types) {

    static final List<String> DEFAULT_SCRIPTS = List.of("php", "phtml", "cgi", "pl", "py", "sh", "jsp");

    static StaticSettings read(Settings s) {
        List<String> index = s.getList("index");
        if (index.isEmpty()) index = List.of("index.html", "index.php");
        for (String name : index) {
            if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw s.invalid("index", "'" + name + "' is not a plain file name");
            }
        }
        List<String> scripts = new ArrayList<>();
        List<String> configured = s.get("scripts").isPresent() ? s.getList("scripts") : DEFAULT_SCRIPTS;
        for (String ext : configured) scripts.add(ext.startsWith(".") ? ext.substring(1).toLowerCase(Locale.ROOT) : ext.toLowerCase(Locale.ROOT));
        String symlinks = s.get("symlinks", "inside");
        if (!symlinks.equals("inside") && !symlinks.equals("follow")) {
            throw s.invalid("symlinks", "'" + symlinks + "' is neither 'inside' (links must stay under the root) nor 'follow'");
        }
        Map<String, String> types = new HashMap<>();
        List<String> cacheRules = new ArrayList<>();
        for (String key : s.keys()) {
            if (key.startsWith("type.")) {
                String type = s.get(key).orElseThrow();
                if (!type.matches("[\\w.+-]+/[\\w.+-]+")) throw s.invalid(key, "'" + type + "' is not a media type");
                types.put(key.substring("type.".length()), type);
            } else if (key.startsWith("cache-control.")) {
                cacheRules.add(key);
            }
        }
        Duration revalidate = s.getDuration("cache.revalidate", Duration.ofSeconds(1));
        return new StaticSettings(index, s.getBoolean("autoindex", false), List.copyOf(scripts),
                s.getBoolean("dotfiles", false), symlinks.equals("follow"), s.getBoolean("precompressed", true),
                s.getBytes("cache.max-file-bytes", 2L << 20), s.getBytes("cache.max-bytes", 64L << 20),
                revalidate, CacheControlRules.read(s, cacheRules), Map.copyOf(types));
    }
}
