package dev.porta.server.plugin;

import dev.porta.spi.CertificateProvider;
import dev.porta.spi.ConnectionObserver;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Extensions made in this JVM and given with their plugin ids, for embedding Porta (tests, the testkit):
 * no jar, no PF4J. Handlers keep the order they are added in (their ordinal is their position), unless the
 * config's {@code server.chain} says otherwise. Every plugin's version is {@code in-process}.
 */
public final class InProcessPlugins extends ExtensionLists {

    /** The version reported for an in-process plugin. */
    public static final String VERSION = "in-process";

    private final List<String> ids = new ArrayList<>();

    /** Adds a handler of plugin {@code pluginId}, after the handlers added before. */
    public InProcessPlugins handler(String pluginId, Handler handler) {
        handlers.add(new LoadedExtension<>(remember(pluginId), handlers.size(), handler));
        return this;
    }

    /** Adds an exchange observer of plugin {@code pluginId}. */
    public InProcessPlugins observer(String pluginId, ExchangeObserver observer) {
        observers.add(new LoadedExtension<>(remember(pluginId), 0, observer));
        return this;
    }

    /** Adds a connection observer of plugin {@code pluginId}. */
    public InProcessPlugins connectionObserver(String pluginId, ConnectionObserver observer) {
        connectionObservers.add(new LoadedExtension<>(remember(pluginId), 0, observer));
        return this;
    }

    /** Adds a certificate provider of plugin {@code pluginId}, after the providers added before. */
    public InProcessPlugins certificateProvider(String pluginId, CertificateProvider provider) {
        certificateProviders.add(new LoadedExtension<>(remember(pluginId), certificateProviders.size(), provider));
        return this;
    }

    private String remember(String pluginId) {
        if (!ids.contains(pluginId)) ids.add(pluginId);
        return pluginId;
    }

    @Override
    public List<String> pluginIds() {
        return List.copyOf(ids);
    }

    @Override
    public Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String id : ids) versions.put(id, VERSION);
        return versions;
    }

    @Override
    public void drop(String pluginId) {
        ids.remove(pluginId);
        forget(pluginId);
    }

    @Override
    public void close() {
        // nothing loaded, nothing to unload
    }
}
