package dev.porta.server.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.pf4j.DefaultVersionManager;
import org.pf4j.ManifestPluginDescriptorFinder;

/**
 * What Porta looks at in a plugin jar before PF4J loads it, to refuse with a reason a user can act on
 * what PF4J would only warn about or fail on obscurely: a jar made for another SPI version (PF4J disables
 * it with a WARN), and a jar that carries the server's own classes (PF4J: "Different class loaders", and
 * no extensions found).
 *
 * @param pluginId      the manifest's {@code Plugin-Id} (the file name when there is none)
 * @param requires      the manifest's {@code Plugin-Requires}, if any
 * @param serverClasses the jar's entries under {@code dev/porta/spi/}, {@code org/pf4j/} or {@code org/tinylog/}
 */
record PluginJarInspection(String pluginId, Optional<String> requires, List<String> serverClasses, boolean declaresId,
                           String version) {

    /** What a plugin id may look like: it names the plugin's settings prefix and its data folder. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** The packages that belong to the server; a plugin jar that carries them breaks class loading. */
    private static final List<String> SERVER_PACKAGES = List.of("dev/porta/spi/", "org/pf4j/", "org/tinylog/");

    /** Reads {@code jar}; empty when it is no readable jar (PF4J then reports why it cannot load it). */
    static Optional<PluginJarInspection> of(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes manifest = file.getManifest() == null ? new Attributes() : file.getManifest().getMainAttributes();
            String id = manifest.getValue(ManifestPluginDescriptorFinder.PLUGIN_ID);
            String requires = manifest.getValue(ManifestPluginDescriptorFinder.PLUGIN_REQUIRES);
            String version = manifest.getValue(ManifestPluginDescriptorFinder.PLUGIN_VERSION);
            List<String> serverClasses = new ArrayList<>();
            for (JarEntry entry : file.stream().toList()) {
                if (!entry.isDirectory() && SERVER_PACKAGES.stream().anyMatch(entry.getName()::startsWith)) {
                    serverClasses.add(entry.getName());
                }
            }
            boolean declaresId = id != null && !id.isBlank();
            return Optional.of(new PluginJarInspection(declaresId ? id.strip() : jar.getFileName().toString(),
                    Optional.ofNullable(requires).map(String::strip).filter(r -> !r.isEmpty() && !r.equals("*")),
                    List.copyOf(serverClasses), declaresId, version == null ? "0.0.0" : version.strip()));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * Why this jar may not be loaded by a server whose SPI is {@code spiVersion}, as one line that names
     * the plugin and says what to do; empty when it may be loaded.
     */
    Optional<String> refusal(String jarName, String spiVersion) {
        String plugin = "Plugin " + pluginId + " (" + jarName + ") is refused: ";
        if (!declaresId) {
            return Optional.of("Plugin jar " + jarName + " is refused: its manifest has no Plugin-Id (is it a Porta plugin?)");
        }
        if (!ID.matcher(pluginId).matches() || pluginId.contains("..")) {
            return Optional.of(plugin + "a plugin id is letters, digits, '.', '_' and '-' (at most 64), as it names the"
                    + " plugin's settings and its data folder");
        }
        if (dev.porta.server.config.ServerConfig.CORE_PREFIXES.contains(pluginId)) {
            return Optional.of(plugin + "'" + pluginId + "' is the server's own settings prefix");
        }
        if (!serverClasses.isEmpty()) {
            return Optional.of(plugin + "the jar carries the server's own SPI, PF4J or tinylog classes (" + serverClasses.get(0)
                    + (serverClasses.size() > 1 ? " and " + (serverClasses.size() - 1) + " more" : "") + "), which the server"
                    + " provides; build it with porta-spi, pf4j and tinylog-api as dependencies of scope 'provided', so that they stay out of the jar");
        }
        if (requires.isPresent()) {
            // as PF4J reads it: a bare version is a minimum, not an exact match
            String range = requires.get().matches("\\d+\\.\\d+\\.\\d+") ? ">=" + requires.get() : requires.get();
            boolean fits;
            try {
                fits = new DefaultVersionManager().checkVersionConstraint(spiVersion, range);
            } catch (RuntimeException e) {
                return Optional.of(plugin + "its Plugin-Requires '" + requires.get() + "' is not a version range"
                        + " (e.g. '>=1.0.0 & <2.0.0'); this server has SPI " + spiVersion);
            }
            if (!fits) {
                return Optional.of(plugin + "it needs SPI " + requires.get() + ", and this server has SPI " + spiVersion
                        + "; use a version of the plugin whose Plugin-Requires covers " + spiVersion);
            }
        }
        return Optional.empty();
    }

    /** A warning for a jar that may load but says nothing of the SPI it was built for; empty when it does. */
    Optional<String> warning(String jarName) {
        if (requires.isPresent()) return Optional.empty();
        return Optional.of("Plugin " + pluginId + " (" + jarName + ") has no Plugin-Requires: it is loaded, but if it was built for"
                + " another SPI it may fail at run time; its build should write e.g. 'Plugin-Requires: >=1.0.0 & <2.0.0'");
    }
}
