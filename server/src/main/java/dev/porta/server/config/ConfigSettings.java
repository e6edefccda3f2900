package dev.porta.server.config;

import dev.porta.spi.ConfigException;
import dev.porta.spi.Settings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@link Settings} under one prefix of a {@link ConfigFile}. Remembers which keys were read, so that
 * the ones nobody read can be reported as unknown.
 */
public final class ConfigSettings implements Settings {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*([kmg]?)b?", Pattern.CASE_INSENSITIVE);

    private final ConfigFile file;
    private final String prefix;
    private final Map<String, ConfigFile.Entry> entries = new LinkedHashMap<>();
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    /** The settings of {@code file} whose keys start with {@code prefix} and a dot. */
    public ConfigSettings(ConfigFile file, String prefix) {
        this.file = file;
        this.prefix = prefix;
        String dotted = prefix + ".";
        for (ConfigFile.Entry e : file.entries().values()) {
            if (e.key().startsWith(dotted)) entries.put(e.key().substring(dotted.length()), e);
        }
    }

    @Override
    public Optional<String> get(String key) {
        read.add(key);
        ConfigFile.Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    @Override
    public int getInt(String key, int fallback) {
        Optional<String> v = get(key);
        if (v.isEmpty()) return fallback;
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw invalid(key, "'" + v.get() + "' is not a whole number");
        }
    }

    @Override
    public long getBytes(String key, long fallback) {
        Optional<String> v = get(key);
        if (v.isEmpty()) return fallback;
        Matcher m = BYTES.matcher(v.get());
        if (!m.matches()) throw invalid(key, "'" + v.get() + "' is not a size (e.g. 8192, 64k, 10m, 1g)");
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw invalid(key, "'" + v.get() + "' is too large");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) throw invalid(key, "'" + v.get() + "' is too large");
        return n << shift;
    }

    @Override
    public boolean getBoolean(String key, boolean fallback) {
        Optional<String> v = get(key);
        if (v.isEmpty()) return fallback;
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw invalid(key, "'" + v.get() + "' is not on/off");
        };
    }

    @Override
    public Duration getDuration(String key, Duration fallback) {
        Optional<String> v = get(key);
        if (v.isEmpty()) return fallback;
        if (v.get().equals("0")) return Duration.ZERO; // "off" needs no unit
        Matcher m = DURATION.matcher(v.get());
        if (!m.matches()) throw invalid(key, "'" + v.get() + "' is not a duration (e.g. 500ms, 30s, 5m, 1h, 1d)");
        try {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            d.toNanos(); // the server counts time in nanoseconds: a longer duration cannot be kept
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(key, "'" + v.get() + "' is too long (at most about 290 years)");
        }
    }

    @Override
    public List<String> getList(String key) {
        return get(key).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    @Override
    public Optional<Path> getPath(String key) {
        Optional<String> v = get(key);
        if (v.isEmpty() || v.get().isEmpty()) return Optional.empty();
        try {
            return Optional.of(file.home().resolve(v.get()).normalize());
        } catch (InvalidPathException e) {
            throw invalid(key, "'" + v.get() + "' is not a valid path");
        }
    }

    @Override
    public Set<String> keys() {
        return Set.copyOf(entries.keySet());
    }

    @Override
    public ConfigException invalid(String key, String problem) {
        read.add(key);
        ConfigFile.Entry e = entries.get(key);
        String where = e == null ? file.source() : file.where(e);
        return new ConfigException(where + ": " + prefix + "." + key + ": " + problem);
    }

    /** Whether the config has any key under this prefix. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether anything read a key of this prefix (set or not). */
    public boolean anyRead() {
        return !read.isEmpty();
    }

    /** Throws naming every key that nothing read, in file order, one per line of the message. */
    public void rejectUnread() {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigFile.Entry> e : entries.entrySet()) {
            if (!read.contains(e.getKey())) unknown.add(file.where(e.getValue()) + ": unknown key " + e.getValue().key());
        }
        if (!unknown.isEmpty()) throw new ConfigException(String.join("\n", unknown));
    }
}
