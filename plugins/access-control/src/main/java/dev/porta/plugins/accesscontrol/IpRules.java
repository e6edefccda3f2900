package dev.porta.plugins.accesscontrol;

import dev.porta.spi.IpRange;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx-style {@code allow} / {@code deny} rules, evaluated in order: the first rule that matches the
 * client decides. The last rule must be {@code allow all} or {@code deny all}: nginx allows an address no
 * rule matches, so {@code allow 10.0.0.0/8} alone would protect nothing, and a reader could not tell.
 */
final class IpRules {

    /**
     * One rule.
     *
     * @param allow whether a match allows (or denies)
     * @param range the addresses it matches; empty for {@code all}
     */
    record Rule(boolean allow, java.util.Optional<IpRange> range) {
        boolean matches(InetAddress address) {
            return range.isEmpty() || range.get().contains(address);
        }
    }

    private final List<Rule> rules;

    private IpRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Parses {@code allow 10.0.0.0/8, allow ::1, deny all}; no items, no rules.
     *
     * @throws IllegalArgumentException naming the item that is wrong, or saying how to end the list
     */
    static IpRules parse(List<String> items) {
        List<Rule> rules = new ArrayList<>();
        for (String item : items) {
            String[] words = item.strip().split("\\s+");
            if (words.length != 2 || !(words[0].equals("allow") || words[0].equals("deny"))) {
                throw new IllegalArgumentException("'" + item + "' is not 'allow ADDRESS/CIDR' or 'deny ADDRESS/CIDR' (or 'all')");
            }
            boolean allow = words[0].equals("allow");
            if (!rules.isEmpty() && rules.getLast().range().isEmpty()) {
                throw new IllegalArgumentException("'" + item.strip() + "' comes after '" + (rules.getLast().allow() ? "allow" : "deny")
                        + " all' and can never match: 'all' must be the last rule");
            }
            if (words[1].equals("all")) {
                rules.add(new Rule(allow, java.util.Optional.empty()));
            } else {
                rules.add(new Rule(allow, java.util.Optional.of(IpRange.parse(words[1]))));
            }
        }
        if (!rules.isEmpty() && rules.getLast().range().isPresent()) {
            String last = rules.getLast().allow() ? "deny all" : "allow all";
            throw new IllegalArgumentException("the last rule must be 'allow all' or 'deny all', so that the default is written down: "
                    + "an address that no rule matches would be allowed, so an 'allow' list alone protects nothing. Did you mean '"
                    + String.join(", ", items.stream().map(String::strip).toList()) + ", " + last + "'?");
        }
        return new IpRules(rules);
    }

    /** Whether there are any rules. */
    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether {@code address} is allowed; with no rules, it is. */
    boolean allows(InetAddress address) {
        for (Rule r : rules) {
            if (r.matches(address)) return r.allow();
        }
        return true; // only when there are no rules: the last rule matches every address
    }
}
