package dev.porta.plugins.staticindex;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** The HTML page of an {@code autoindex} folder: folders first, then files, each sorted by name. */
final class DirectoryListing {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private record Item(String name, boolean folder, long size, BasicFileAttributes attrs) {
    }

    private DirectoryListing() {
    }

    /**
     * @param folder  the folder on disk
     * @param urlPath its decoded URL path, ending in {@code /}
     * @param visible which entries may be shown
     */
    static String render(Path folder, String urlPath, Predicate<Path> visible) throws IOException {
        List<Item> items = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path p : entries) {
                if (!visible.test(p)) continue;
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                items.add(new Item(p.getFileName().toString(), a.isDirectory(), a.size(), a));
            }
        }
        items.sort(Comparator.comparing((Item i) -> !i.folder).thenComparing(Item::name));
        String title = "Index of " + escape(urlPath);
        StringBuilder html = new StringBuilder(512 + items.size() * 160);
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(title)
                .append("</title></head>\n<body><h1>").append(title).append("</h1><hr>\n<table>\n");
        if (!urlPath.equals("/")) html.append("<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n");
        for (Item i : items) {
            String shown = i.name + (i.folder ? "/" : "");
            html.append("<tr><td><a href=\"").append(escape(UrlPaths.encode(shown).replace(":", "%3A")))
                    .append("\">").append(escape(shown)).append("</a></td><td>")
                    .append(DATE.format(i.attrs.lastModifiedTime().toInstant())).append("</td><td>")
                    .append(i.folder ? "-" : Long.toString(i.size)).append("</td></tr>\n");
        }
        return html.append("</table><hr></body></html>\n").toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
