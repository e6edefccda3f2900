package dev.porta.plugins.accesscontrol;

import dev.porta.spi.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tinylog.TaggedLogger;

/**
 * The plugin's settings ({@code access-control.*} in the config), read and checked, with the users files
 * they name read: what {@code check} validates and {@code start} runs with. Reading has no side effect
 * beyond reading (and a warning about weak hashes).
 *
 * @param loginCache      how long a verified login is remembered (0: not at all)
 * @param maxFailures     failed logins per client and window before a lockout (0: no lockout)
 * @param failureWindow   the window failures are counted in
 * @param hashConcurrency password hashes run at once
 * @param areas           the areas, by name
 */
record AccessSettings(Duration loginCache, int maxFailures, Duration failureWindow, int hashConcurrency, List<Area> areas) {

    static AccessSettings read(Settings s, TaggedLogger log) {
        Duration cacheTtl = s.getDuration("login-cache", Duration.ofSeconds(60));
        int maxFailures = s.getInt("max-failures", 10);
        if (maxFailures < 0) throw s.invalid("max-failures", "must be 0 (off) or more");
        Duration window = s.getDuration("failure-window", Duration.ofMinutes(5));
        int concurrency = s.getInt("hash-concurrency", Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        if (concurrency < 1) throw s.invalid("hash-concurrency", "must be at least 1");
        return new AccessSettings(cacheTtl, maxFailures, window, concurrency, readAreas(s, log));
    }

    private static List<Area> readAreas(Settings s, TaggedLogger log) {
        Set<String> names = new LinkedHashSet<>();
        for (String key : s.keys()) {
            if (key.startsWith("area.") && key.indexOf('.', 5) > 5) names.add(key.substring(5, key.indexOf('.', 5)));
        }
        List<Area> areas = new ArrayList<>();
        for (String name : names.stream().sorted().toList()) {
            String k = "area." + name + ".";
            List<String> prefixes = s.getList(k + "prefixes");
            if (prefixes.isEmpty()) throw s.invalid(k + "prefixes", "area '" + name + "' needs prefixes, e.g. " + k + "prefixes = /private/");
            for (String p : prefixes) {
                if (!p.startsWith("/")) throw s.invalid(k + "prefixes", "'" + p + "' does not start with /");
                String problem = prefixProblem(p);
                if (problem != null) throw s.invalid(k + "prefixes", "'" + p + "' " + problem + ": it would match no request path");
            }
            String realm = s.get(k + "realm", name);
            if (realm.contains("\"") || realm.contains("\\") || realm.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw s.invalid(k + "realm", "a realm may not contain quotes, backslashes or control characters");
            }
            Optional<UsersFile> users = Optional.empty();
            Optional<Path> usersPath = s.getPath(k + "users");
            if (usersPath.isPresent()) {
                try {
                    users = Optional.of(new UsersFile(usersPath.get().toAbsolutePath(), log));
                } catch (IOException e) {
                    throw s.invalid(k + "users", "cannot read " + usersPath.get().toAbsolutePath() + " (" + e.getClass().getSimpleName() + ")");
                } catch (IllegalArgumentException e) {
                    throw s.invalid(k + "users", e.getMessage());
                }
            }
            IpRules ip;
            try {
                ip = IpRules.parse(s.getList(k + "ip"));
            } catch (IllegalArgumentException e) {
                throw s.invalid(k + "ip", e.getMessage());
            }
            Area.Satisfy satisfy = switch (s.get(k + "satisfy", "all")) {
                case "all" -> Area.Satisfy.ALL;
                case "any" -> Area.Satisfy.ANY;
                default -> throw s.invalid(k + "satisfy", "must be 'all' or 'any'");
            };
            if (users.isEmpty() && ip.isEmpty()) {
                throw s.invalid(k + "prefixes", "area '" + name + "' has neither users nor ip rules: it would protect nothing");
            }
            areas.add(new Area(name, prefixes, realm, users, ip, satisfy));
        }
        return List.copyOf(areas);
    }

    /**
     * Why a prefix can match no request: paths arrive decoded and normalised (no {@code //}, no {@code .} or
     * {@code ..} segment, no percent escape), and prefixes are plain text, not patterns. Null when it can.
     */
    static String prefixProblem(String prefix) {
        if (prefix.contains("//")) return "has an empty segment (//)";
        for (String segment : prefix.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) return "has a '" + segment + "' segment";
        }
        if (prefix.indexOf('%') >= 0) return "has a percent escape (write the character itself)";
        if (prefix.indexOf('*') >= 0 || prefix.indexOf('?') >= 0) return "has a wildcard (a prefix is plain text: /private/ covers all below it)";
        if (prefix.indexOf('\\') >= 0) return "has a backslash";
        return null;
    }
}
