package dev.porta.plugins.accesscontrol;

import dev.porta.spi.IpRange;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx-style {@code allow} / {@code deny} rules, evaluated in order: the first rule that matches the
 * client decides; when none matches, the client is allowed (as in nginx: end with {@code deny all}).
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
     * Parses {@code allow 10.0.0.0/8, allow ::1, deny all}.
     *
     * @throws IllegalArgumentException naming the item that is wrong
     */
    static IpRules parse(List<String> items) {
        List<Rule> rules = new ArrayList<>();
        for (String item : items) {
            String[] words = item.strip().split("\\s+");
            if (words.length != 2 || !(words[0].equals("allow") || words[0].equals("deny"))) {
                throw new IllegalArgumentException("'" + item + "' is not 'allow ADDRESS/CIDR' or 'deny ADDRESS/CIDR' (or 'all')");
            }
            boolean allow = words[0].equals("allow");
            if (words[1].equals("all")) {
                rules.add(new Rule(allow, java.util.Optional.empty()));
            } else {
                rules.add(new Rule(allow, java.util.Optional.of(IpRange.parse(words[1]))));
            }
        }
        return new IpRules(rules);
    }

    /** Whether there are any rules. */
    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether {@code address} is allowed. */
    boolean allows(InetAddress address) {
        for (Rule r : rules) {
            if (r.matches(address)) return r.allow();
        }
        return true;
    }
}
