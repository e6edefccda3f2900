package dev.porta.server.plugin;

import dev.porta.spi.CertificateProvider;
import dev.porta.spi.ConnectionObserver;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import java.util.ArrayList;
import java.util.List;

/** The extensions a plugin set holds, by kind: what {@link PluginHost} and {@link InProcessPlugins} share. */
abstract class ExtensionLists implements PluginSet {

    protected final List<LoadedExtension<Handler>> handlers = new ArrayList<>();
    protected final List<LoadedExtension<ExchangeObserver>> observers = new ArrayList<>();
    protected final List<LoadedExtension<ConnectionObserver>> connectionObservers = new ArrayList<>();
    protected final List<LoadedExtension<CertificateProvider>> certificateProviders = new ArrayList<>();

    /** The handlers, unordered (start-up puts them in chain order). */
    @Override
    public List<LoadedExtension<Handler>> handlers() {
        return List.copyOf(handlers);
    }

    /** The exchange observers. */
    @Override
    public List<LoadedExtension<ExchangeObserver>> observers() {
        return List.copyOf(observers);
    }

    /** The connection observers. */
    @Override
    public List<LoadedExtension<ConnectionObserver>> connectionObservers() {
        return List.copyOf(connectionObservers);
    }

    /** The certificate providers, in load order. */
    @Override
    public List<LoadedExtension<CertificateProvider>> certificateProviders() {
        return List.copyOf(certificateProviders);
    }

    /** Removes the extensions of plugin {@code pluginId}. */
    protected void forget(String pluginId) {
        handlers.removeIf(x -> x.pluginId().equals(pluginId));
        observers.removeIf(x -> x.pluginId().equals(pluginId));
        connectionObservers.removeIf(x -> x.pluginId().equals(pluginId));
        certificateProviders.removeIf(x -> x.pluginId().equals(pluginId));
    }
}
