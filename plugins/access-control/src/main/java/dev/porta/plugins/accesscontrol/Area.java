package dev.porta.plugins.accesscontrol;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A restricted area.
 *
 * @param name     its name in the config
 * @param prefixes the path prefixes it covers (compared ignoring case, so that a case-insensitive
 *                 file system cannot be used to dodge it)
 * @param realm    the realm shown by the browser's login prompt
 * @param users    its users file, if it asks for a password
 * @param ip       its IP rules (may be empty)
 * @param satisfy  whether IP rules and password must both pass ({@code ALL}) or either ({@code ANY})
 */
record Area(String name, List<String> prefixes, String realm, Optional<UsersFile> users, IpRules ip, Satisfy satisfy) {

    /** nginx's {@code satisfy}. */
    enum Satisfy { ALL, ANY }

    /** Whether {@code path} (decoded and normalised by the core) lies in this area. */
    boolean covers(String path) {
        return longestPrefixCovering(path) >= 0;
    }

    /** The length of the longest prefix of this area that covers {@code path}, or -1. */
    int longestPrefixCovering(String path) {
        int best = -1;
        for (String prefix : prefixes) {
            boolean covered = path.regionMatches(true, 0, prefix, 0, prefix.length())
                    // "/private/" also covers "/private", which a content handler would redirect
                    || (prefix.endsWith("/") && path.length() == prefix.length() - 1
                        && prefix.regionMatches(true, 0, path, 0, path.length()));
            if (covered) best = Math.max(best, prefix.length());
        }
        return best;
    }

    @Override
    public String toString() {
        return name + " " + prefixes + " (" + (users.isPresent() ? "password" : "") + (users.isPresent() && !ip.isEmpty() ? ", " : "")
                + (ip.isEmpty() ? "" : "IP rules") + ", satisfy " + satisfy.name().toLowerCase(Locale.ROOT) + ")";
    }
}
