package dev.porta.server.config;

import dev.porta.spi.ConfigException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The config file as read: {@code key = value} lines, {@code #} comments and blank lines, each entry with
 * the line it came from so that every error can say {@code FILE:LINE}. ({@code java.util.Properties} keeps
 * neither line numbers nor order, hence this small parser.)
 *
 * @param source  the file name as the user gave it, for messages
 * @param entries the entries in file order, by key
 * @param home    Porta's home, the folder that holds {@code conf/}: relative paths in the file are taken
 *                against it, whatever the directory Porta was started from
 */
public record ConfigFile(String source, Map<String, Entry> entries, Path home) {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-/*]*");

    /**
     * One {@code key = value} line.
     *
     * @param key   the key
     * @param value the value, trimmed
     * @param line  the 1-based line number
     */
    public record Entry(String key, String value, int line) {
    }

    public ConfigFile {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        home = home.toAbsolutePath().normalize();
    }

    /** No file: every setting at its default, paths under {@code home}. */
    public static ConfigFile empty(Path home) {
        return new ConfigFile(NO_FILE, Map.of(), home);
    }

    /** The {@link #source()} of {@link #empty}. */
    public static final String NO_FILE = "(defaults)";

    /**
     * Reads and parses {@code file}, whose relative paths are taken against {@code home}; any problem is
     * a {@link ConfigException} naming file and line.
     */
    public static ConfigFile read(Path file, Path home) {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not valid UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the config file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        return parse(file.toString(), text, home);
    }

    /** Parses config text; {@code source} names it in messages; relative paths are taken against the current directory. */
    public static ConfigFile parse(String source, String text) {
        return parse(source, text, Path.of(""));
    }

    /** Parses config text; {@code source} names it in messages; relative paths are taken against {@code home}. */
    public static ConfigFile parse(String source, String text, Path home) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        // every bad line is named at once (one per line of the message), not only the first
        List<String> problems = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) {
                problems.add(source + ":" + lineNo + ": expected 'key = value', found '" + abbreviate(line) + "'");
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (!KEY.matcher(key).matches()) {
                problems.add(source + ":" + lineNo + ": '" + abbreviate(key) + "' is not a valid key (letters, digits and . - _ / *)");
                continue;
            }
            Entry earlier = entries.get(key);
            if (earlier != null) {
                problems.add(source + ":" + lineNo + ": " + key + " is already set on line " + earlier.line());
                continue;
            }
            entries.put(key, new Entry(key, value, lineNo));
        }
        if (!problems.isEmpty()) throw new ConfigException(String.join("\n", problems));
        return new ConfigFile(source, entries, home);
    }

    /** {@code FILE:LINE} of an entry, for messages. */
    public String where(Entry entry) {
        return source + ":" + entry.line();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
