package dev.porta.plugins.staticindex;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** {@code Content-Type} by file extension; text types carry {@code charset=utf-8}. */
final class MediaTypes {

    static final String DEFAULT = "application/octet-stream";

    private static final Map<String, String> BUILT_IN = Map.ofEntries(
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"), Map.entry("mjs", "text/javascript"), Map.entry("json", "application/json"),
            Map.entry("map", "application/json"), Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("txt", "text/plain"), Map.entry("md", "text/markdown"), Map.entry("csv", "text/csv"),
            Map.entry("xml", "application/xml"), Map.entry("rss", "application/rss+xml"), Map.entry("atom", "application/atom+xml"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"), Map.entry("ico", "image/vnd.microsoft.icon"), Map.entry("bmp", "image/bmp"),
            Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"), Map.entry("otf", "font/otf"),
            Map.entry("eot", "application/vnd.ms-fontobject"), Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"),
            Map.entry("tgz", "application/gzip"), Map.entry("tar", "application/x-tar"), Map.entry("bz2", "application/x-bzip2"),
            Map.entry("xz", "application/x-xz"), Map.entry("7z", "application/x-7z-compressed"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("ogg", "audio/ogg"), Map.entry("oga", "audio/ogg"), Map.entry("wav", "audio/wav"),
            Map.entry("flac", "audio/flac"), Map.entry("m4a", "audio/mp4"), Map.entry("aac", "audio/aac"), Map.entry("opus", "audio/opus"),
            Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("ogv", "video/ogg"),
            Map.entry("mov", "video/quicktime"), Map.entry("avi", "video/x-msvideo"), Map.entry("mpeg", "video/mpeg"),
            Map.entry("vtt", "text/vtt"), Map.entry("ics", "text/calendar"), Map.entry("epub", "application/epub+zip"),
            Map.entry("jar", "application/java-archive"), Map.entry("doc", "application/msword"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            Map.entry("odt", "application/vnd.oasis.opendocument.text"), Map.entry("rtf", "application/rtf"));

    private final Map<String, String> types;

    /** The built-in table with {@code extra} (extension → type) on top. */
    MediaTypes(Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(BUILT_IN);
        extra.forEach((ext, type) -> all.put(ext.toLowerCase(Locale.ROOT), type));
        this.types = Map.copyOf(all);
    }

    /** The {@code Content-Type} value for {@code fileName}. */
    String of(String fileName) {
        String type = types.getOrDefault(extension(fileName), DEFAULT);
        return isText(type) ? type + "; charset=utf-8" : type;
    }

    static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean isText(String type) {
        return type.startsWith("text/") || type.equals("application/json") || type.equals("application/manifest+json")
                || type.equals("image/svg+xml") || type.endsWith("/xml") || type.endsWith("+xml");
    }
}
