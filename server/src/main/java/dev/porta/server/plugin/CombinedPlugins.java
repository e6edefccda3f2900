package dev.porta.server.plugin;

import dev.porta.spi.CertificateProvider;
import dev.porta.spi.ConnectionObserver;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Two plugin sets as one: plugin jars from a folder beside extensions made in this JVM. */
public final class CombinedPlugins implements PluginSet {

    private final List<PluginSet> parts;

    /** {@code first}'s plugins, then {@code second}'s. */
    public CombinedPlugins(PluginSet first, PluginSet second) {
        this.parts = List.of(first, second);
    }

    private <T> List<T> all(Function<PluginSet, List<T>> of) {
        List<T> all = new ArrayList<>();
        for (PluginSet part : parts) all.addAll(of.apply(part));
        return all;
    }

    @Override
    public List<String> pluginIds() {
        return all(PluginSet::pluginIds);
    }

    @Override
    public Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        for (PluginSet part : parts) versions.putAll(part.versions());
        return versions;
    }

    @Override
    public List<LoadedExtension<Handler>> handlers() {
        return all(PluginSet::handlers);
    }

    @Override
    public List<LoadedExtension<ExchangeObserver>> observers() {
        return all(PluginSet::observers);
    }

    @Override
    public List<LoadedExtension<ConnectionObserver>> connectionObservers() {
        return all(PluginSet::connectionObservers);
    }

    @Override
    public List<LoadedExtension<CertificateProvider>> certificateProviders() {
        return all(PluginSet::certificateProviders);
    }

    @Override
    public void drop(String pluginId) {
        for (PluginSet part : parts) part.drop(pluginId);
    }

    @Override
    public java.util.Optional<java.nio.file.Path> file(String pluginId) {
        for (PluginSet part : parts) {
            if (part.pluginIds().contains(pluginId)) return part.file(pluginId);
        }
        return java.util.Optional.empty();
    }

    @Override
    public void unload(String pluginId) {
        for (PluginSet part : parts) {
            if (part.pluginIds().contains(pluginId)) part.unload(pluginId);
        }
    }

    @Override
    public void close() {
        for (PluginSet part : parts.reversed()) part.close();
    }
}
