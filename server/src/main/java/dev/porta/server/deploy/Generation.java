package dev.porta.server.deploy;

import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ServerConfig;
import dev.porta.server.pipeline.ChainOrder;
import dev.porta.server.pipeline.ErrorPages;
import dev.porta.server.pipeline.Pipeline;
import dev.porta.server.plugin.LoadedExtension;
import dev.porta.server.plugin.NeverServedFiles;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What serves at one time: the config, the running plugins and the pipeline built from them. Immutable: a
 * hot deploy or a reload builds the next generation and replaces this one as a whole.
 *
 * @param number  counts generations from 0 (start-up)
 * @param file    the config file
 * @param config  the core's settings
 * @param plugins the running plugins by id, in load order
 * @param pipeline the chain and observers
 */
public record Generation(long number, ConfigFile file, ServerConfig config, Map<String, RunningPlugin> plugins, Pipeline pipeline) {

    public Generation {
        plugins = Collections.unmodifiableMap(new LinkedHashMap<>(plugins));
    }

    /**
     * Builds generation {@code number}: the handlers in chain order ({@link ChainOrder}: a
     * {@code server.chain} that does not fit the plugins is a {@code ConfigException}), {@code recorder}
     * (may be null) first among the observers.
     */
    public static Generation build(long number, ConfigFile file, ServerConfig config, Map<String, RunningPlugin> plugins,
                                   ExchangeObserver recorder, NeverServedFiles neverServed) {
        List<LoadedExtension<Handler>> handlers = new ArrayList<>();
        List<Pipeline.Watcher> watchers = new ArrayList<>();
        List<Pipeline.ConnectionWatcher> connectionWatchers = new ArrayList<>();
        if (recorder != null) watchers.add(new Pipeline.Watcher("embedding", recorder));
        for (RunningPlugin p : plugins.values()) {
            handlers.addAll(p.handlers());
            p.observers().forEach(o -> watchers.add(new Pipeline.Watcher(o.pluginId(), o.instance())));
            p.connectionObservers().forEach(o -> connectionWatchers.add(new Pipeline.ConnectionWatcher(o.pluginId(), o.instance())));
        }
        ConfigFile.Entry chainEntry = file.entries().get("server.chain");
        List<Pipeline.Step> steps = ChainOrder.order(handlers, config.chain(), chainEntry == null ? file.source() : file.where(chainEntry));
        Pipeline pipeline = new Pipeline(steps, watchers, connectionWatchers,
                new ErrorPages(config.root(), config.errorPages(), neverServed::contains), neverServed::contains);
        return new Generation(number, file, config, plugins, pipeline);
    }

    /** The plugin ids of the handlers, in chain order. */
    public List<String> chain() {
        return pipeline.steps().stream().map(Pipeline.Step::pluginId).toList();
    }

    /** The chain for the log: {@code id (Class) -> id (Class)}. */
    public String chainText() {
        List<Pipeline.Step> steps = pipeline.steps();
        return steps.isEmpty() ? "(empty: every request gets 404)"
                : String.join(" -> ", steps.stream().map(s -> s.pluginId() + " (" + s.handler().getClass().getSimpleName() + ")").toList());
    }

    /** The running plugins' versions by id. */
    public Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        plugins.forEach((id, p) -> versions.put(id, p.version()));
        return versions;
    }
}
