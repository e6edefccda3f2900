package dev.porta.server.deploy;

import dev.porta.server.Porta;
import dev.porta.server.plugin.HostContext;
import dev.porta.server.plugin.LoadedExtension;
import dev.porta.server.plugin.PluginSet;
import dev.porta.spi.ConnectionObserver;
import dev.porta.spi.ExchangeObserver;
import dev.porta.spi.Handler;
import dev.porta.spi.Lifecycle;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One plugin as it runs: its extensions (started), its context, the jar it came from and the plugin set
 * that loaded it, which unloads it. A generation holds these; one that did not change is shared by the
 * generation before and the one after a swap.
 *
 * @param id                  the plugin id
 * @param version             its version
 * @param file                the jar, if it came from one
 * @param stamp               the jar's stamp when it was loaded, if it came from one
 * @param owner               the plugin set that loaded it (for hot-deployed jars: a PF4J manager of its own)
 * @param handlers            its handlers
 * @param observers           its exchange observers
 * @param connectionObservers its connection observers
 * @param started             its extension instances that started, in start order
 * @param context             its context
 * @param copy                the private copy of the jar it was loaded from, deleted when it is unloaded
 *                            (hot-deployed jars; see {@link Deployment})
 */
public record RunningPlugin(String id, String version, Optional<Path> file, Optional<JarStamp> stamp, PluginSet owner,
                            List<LoadedExtension<Handler>> handlers, List<LoadedExtension<ExchangeObserver>> observers,
                            List<LoadedExtension<ConnectionObserver>> connectionObservers, List<Lifecycle> started,
                            HostContext context, Optional<Path> copy) {

    public RunningPlugin {
        handlers = List.copyOf(handlers);
        observers = List.copyOf(observers);
        connectionObservers = List.copyOf(connectionObservers);
        started = List.copyOf(started);
    }

    /** Plugin {@code id} of {@code set}, whose started instances are among {@code startedAll}. */
    public static RunningPlugin of(PluginSet set, String id, Collection<Lifecycle> startedAll, HostContext context) {
        Set<Object> running = Collections.newSetFromMap(new IdentityHashMap<>());
        running.addAll(startedAll);
        List<Lifecycle> mine = set.extensions().stream().filter(e -> e.pluginId().equals(id)).map(LoadedExtension::instance)
                .filter(running::contains).toList();
        Optional<Path> file = set.file(id);
        return new RunningPlugin(id, set.versions().getOrDefault(id, "?"), file, file.flatMap(JarStamp::of), set,
                set.handlers().stream().filter(e -> e.pluginId().equals(id)).toList(),
                set.observers().stream().filter(e -> e.pluginId().equals(id)).toList(),
                set.connectionObservers().stream().filter(e -> e.pluginId().equals(id)).toList(), mine, context, Optional.empty());
    }

    /** Stops its extensions (last started first, each within a bound) and unloads it. */
    public void stopAndUnload() {
        Porta.stopExtensions(started);
        owner.unload(id);
        if (owner.pluginIds().isEmpty()) owner.close();
        copy.ifPresent(Deployment::deleteCopy);
    }

    /** {@code id version (file)}, for the log. */
    public String describe() {
        return id + " " + version + file.map(f -> " (" + f.getFileName() + ")").orElse(" (in-process)");
    }
}
