package dev.porta.plugins.staticindex;

import dev.porta.spi.Settings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code Cache-Control} by path prefix or extension: {@code cache-control./assets/ = max-age=31536000,
 * immutable} and {@code cache-control.*.css = max-age=3600}. The longest matching prefix wins, then the
 * extension; no rule, no header.
 */
final class CacheControlRules {

    private record Rule(String prefixOrExtension, String value) {
    }

    private final List<Rule> prefixes;
    private final List<Rule> extensions;

    private CacheControlRules(List<Rule> prefixes, List<Rule> extensions) {
        this.prefixes = prefixes;
        this.extensions = extensions;
    }

    static CacheControlRules read(Settings s, List<String> keys) {
        List<Rule> prefixes = new ArrayList<>();
        List<Rule> extensions = new ArrayList<>();
        for (String key : keys) {
            String selector = key.substring("cache-control.".length());
            String value = s.get(key).orElseThrow();
            if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) throw s.invalid(key, "not a Cache-Control value");
            if (selector.startsWith("/")) {
                prefixes.add(new Rule(selector, value));
            } else if (selector.startsWith("*.") && selector.length() > 2) {
                extensions.add(new Rule(selector.substring(2).toLowerCase(Locale.ROOT), value));
            } else {
                throw s.invalid(key, "expected cache-control./PATH-PREFIX or cache-control.*.EXT");
            }
        }
        prefixes.sort(Comparator.comparingInt((Rule r) -> r.prefixOrExtension.length()).reversed());
        return new CacheControlRules(List.copyOf(prefixes), List.copyOf(extensions));
    }

    Optional<String> forPath(String path) {
        if (prefixes.isEmpty() && extensions.isEmpty()) return Optional.empty();
        for (Rule r : prefixes) {
            if (path.startsWith(r.prefixOrExtension)) return Optional.of(r.value);
        }
        String ext = MediaTypes.extension(path.substring(path.lastIndexOf('/') + 1));
        for (Rule r : extensions) {
            if (r.prefixOrExtension.equals(ext)) return Optional.of(r.value);
        }
        return Optional.empty();
    }
}
