package dev.porta.server.pipeline;

import dev.porta.server.plugin.LoadedExtension;
import dev.porta.spi.ConfigException;
import dev.porta.spi.Handler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tinylog.Logger;

/**
 * Puts the handlers in chain order: by their {@code @Extension(ordinal)} (lower first, then plugin id),
 * or, when {@code server.chain} names plugin ids, in that order. The override must name every plugin that
 * has a handler and no other: a chain that silently left out, say, access control would fail open.
 */
public final class ChainOrder {

    private ChainOrder() {
    }

    /**
     * Orders {@code handlers}.
     *
     * @param override the plugin ids of {@code server.chain}, or empty
     * @param where    {@code FILE:LINE} of {@code server.chain}, for errors
     */
    public static List<Pipeline.Step> order(List<LoadedExtension<Handler>> handlers, List<String> override, String where) {
        List<LoadedExtension<Handler>> sorted = new ArrayList<>(handlers);
        sorted.sort(Comparator.comparingInt((LoadedExtension<Handler> e) -> e.ordinal()).thenComparing(LoadedExtension::pluginId));
        if (!override.isEmpty()) {
            Set<String> listed = check(sorted, override, where);
            List<String> order = List.copyOf(listed);
            sorted.sort(Comparator.comparingInt((LoadedExtension<Handler> e) -> order.indexOf(e.pluginId()))
                    .thenComparingInt(LoadedExtension::ordinal));
            warnOfInversions(sorted, where);
        }
        return sorted.stream().map(e -> new Pipeline.Step(e.pluginId(), e.instance())).toList();
    }

    /**
     * Checks {@code server.chain} against the plugins with handlers, before any starts (start-up and
     * {@code porta check} run the same rule): each named once, each one with a handler, every such plugin named.
     *
     * @return the plugin ids as listed
     * @throws ConfigException at {@code where}
     */
    public static Set<String> check(List<LoadedExtension<Handler>> handlers, List<String> override, String where) {
        Set<String> withHandlers = new LinkedHashSet<>();
        for (LoadedExtension<Handler> e : handlers) withHandlers.add(e.pluginId());
        Set<String> listed = new LinkedHashSet<>();
        if (!override.isEmpty()) {
            for (String id : override) {
                if (!listed.add(id)) throw new ConfigException(where + ": server.chain: " + id + " is named twice");
                if (!withHandlers.contains(id)) {
                    throw new ConfigException(where + ": server.chain: no loaded plugin '" + id + "' has a handler (loaded: "
                            + String.join(", ", withHandlers) + ")");
                }
            }
            for (String id : withHandlers) {
                if (!listed.contains(id)) {
                    throw new ConfigException(where + ": server.chain: does not name plugin '" + id
                            + "', which has a handler; name every one (loaded: " + String.join(", ", withHandlers) + ")");
                }
            }
        }
        return listed;
    }

    /**
     * Says where {@code server.chain} runs a handler before one that its ordinal puts first: access control
     * (100) after static-index (1000) would let files out before any login, and the admin should know.
     */
    private static void warnOfInversions(List<LoadedExtension<Handler>> chain, String where) {
        for (int i = 0; i < chain.size(); i++) {
            for (int j = i + 1; j < chain.size(); j++) {
                LoadedExtension<Handler> early = chain.get(i);
                LoadedExtension<Handler> late = chain.get(j);
                if (early.ordinal() > late.ordinal() && !early.pluginId().equals(late.pluginId())) {
                    Logger.warn("{}: server.chain runs {} (ordinal {}) before {} (ordinal {}): what {} answers never reaches {}",
                            where, early.pluginId(), early.ordinal(), late.pluginId(), late.ordinal(), early.pluginId(), late.pluginId());
                }
            }
        }
    }
}
