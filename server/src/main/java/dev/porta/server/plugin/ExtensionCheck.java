package dev.porta.server.plugin;

import dev.porta.server.config.ConfigFile;
import dev.porta.server.config.ConfigSettings;
import dev.porta.server.config.ServerConfig;
import dev.porta.spi.ConfigException;
import dev.porta.spi.Lifecycle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tinylog.Logger;

/**
 * Runs {@link Lifecycle#check} of extensions over a config, with contexts that create nothing, and
 * collects what is wrong: each plugin's first bad setting, else its first key that nothing read. Starts
 * nothing; the extensions may be ones that serve meanwhile.
 */
public final class ExtensionCheck {

    private ExtensionCheck() {
    }

    /**
     * The problems {@code extensions} find in {@code file}, each {@code FILE:LINE: ...}, at most one per
     * plugin, in the extensions' order; empty when they accept it.
     */
    public static List<String> run(List<LoadedExtension<Lifecycle>> extensions, ConfigFile file, ServerConfig config) {
        NeverServedFiles neverServed = NeverServedFiles.forServer(config);
        Map<String, HostContext> contexts = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Set<String> failed = new LinkedHashSet<>();
        for (LoadedExtension<Lifecycle> ext : extensions) {
            String id = ext.pluginId();
            HostContext context = contexts.computeIfAbsent(id, k -> HostContext.forCheck(k, new ConfigSettings(file, k), config, neverServed));
            if (failed.contains(id)) continue;
            try {
                ext.instance().check(context);
            } catch (ConfigException e) {
                problems.add(e.getMessage());
                failed.add(id);
            } catch (RuntimeException | LinkageError e) {
                failed.add(id);
                if (context.configSettings().isEmpty()) {
                    // nothing in the config relies on it: start-up decides whether it is left out
                    Logger.warn("Plugin {} failed to check its settings: {}", id, e.toString());
                } else {
                    problems.add(file.source() + ": plugin " + id + " failed to check its settings: " + e);
                }
            }
        }
        for (HostContext context : contexts.values()) {
            ConfigSettings settings = context.configSettings();
            if (failed.contains(context.pluginId()) || settings.isEmpty()) continue;
            if (!settings.anyRead()) {
                Logger.info("Plugin {} does not check its settings: they are checked when it starts", context.pluginId());
                continue;
            }
            try {
                settings.rejectUnread();
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }
}
