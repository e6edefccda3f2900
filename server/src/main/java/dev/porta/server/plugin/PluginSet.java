package dev.porta.server.plugin;

import dev.porta.spi.CertificateProvider;
import dev.porta.spi.ConnectionObserver;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import dev.porta.spi.Lifecycle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The plugins a Porta runs and their extensions, whatever loaded them: jars from a folder
 * ({@link PluginHost}) or instances made in this JVM ({@link InProcessPlugins}). Start-up
 * ({@code Porta.start}) takes one and does the rest the same way for both.
 */
public interface PluginSet extends AutoCloseable {

    /** The ids of the plugins that are in. */
    List<String> pluginIds();

    /** The plugins' versions by id, in load order. */
    Map<String, String> versions();

    /** The handlers, unordered (start-up puts them in chain order). */
    List<LoadedExtension<Handler>> handlers();

    /** The exchange observers. */
    List<LoadedExtension<ExchangeObserver>> observers();

    /** The connection observers. */
    List<LoadedExtension<ConnectionObserver>> connectionObservers();

    /** The certificate providers (for the HTTPS listener), in load order. */
    List<LoadedExtension<CertificateProvider>> certificateProviders();

    /** Leaves out a plugin whose extensions failed to start. */
    void drop(String pluginId);

    /** The jar plugin {@code pluginId} was loaded from; empty for one made in this JVM. */
    default Optional<Path> file(String pluginId) {
        return Optional.empty();
    }

    /**
     * Stops and unloads plugin {@code pluginId} alone, its extensions stopped before (hot deploy, reload);
     * nothing for one made in this JVM.
     */
    default void unload(String pluginId) {
        drop(pluginId);
    }

    /** Unloads the plugins (their extensions are stopped before). */
    @Override
    void close();

    /**
     * Every extension instance once, handlers first, in load order: an instance that is a handler and an
     * observer is listed once, so that it is checked, started and stopped once.
     */
    default List<LoadedExtension<Lifecycle>> extensions() {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<LoadedExtension<Lifecycle>> all = new ArrayList<>();
        for (List<? extends LoadedExtension<? extends Lifecycle>> kind : List.of(handlers(), observers(), connectionObservers(),
                certificateProviders())) {
            for (LoadedExtension<? extends Lifecycle> e : kind) {
                if (seen.add(e.instance())) all.add(new LoadedExtension<>(e.pluginId(), e.ordinal(), e.instance()));
            }
        }
        return all;
    }
}
