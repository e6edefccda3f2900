package dev.porta.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * A PF4J plugin jar made in a test, as the plugin build makes one: a manifest ({@code Plugin-Id},
 * {@code Plugin-Version}, optionally {@code Plugin-Requires}), compiled classes taken from the test's class
 * path, and {@code META-INF/extensions.idx} naming the extensions (written here, as PF4J's annotation
 * processor would).
 *
 * <pre>{@code
 * PluginJar.of("sample").extension(Sample.class).writeTo(pluginsFolder);
 * }</pre>
 */
public final class PluginJar {

    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final List<String> extensions = new ArrayList<>();

    private PluginJar(String id) {
        manifest.put("Plugin-Id", id);
        manifest.put("Plugin-Version", "1.0.0");
    }

    /** A plugin {@code id}, version 1.0.0, with no {@code Plugin-Requires}. */
    public static PluginJar of(String id) {
        return new PluginJar(id);
    }

    private String fileName;

    /** Sets the manifest's {@code Plugin-Version} (default 1.0.0). */
    public PluginJar version(String version) {
        manifest.put("Plugin-Version", version);
        return this;
    }

    /** Names the jar file (default: the plugin id and {@code .jar}). */
    public PluginJar fileName(String name) {
        this.fileName = name;
        return this;
    }

    /** Sets the manifest's {@code Plugin-Requires}, e.g. {@code >=2.0.0}. */
    public PluginJar requires(String range) {
        manifest.put("Plugin-Requires", range);
        return this;
    }

    /** Adds {@code type}'s class file and lists it as an extension. */
    public PluginJar extension(Class<?> type) {
        extensions.add(type.getName());
        return withClass(type);
    }

    /** Adds {@code type}'s class file (from the class path it was loaded from). */
    public PluginJar withClass(Class<?> type) {
        String name = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalArgumentException("no class file for " + type.getName());
            entries.put(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Adds a resource file {@code name} (a path inside the jar) holding {@code text}. */
    public PluginJar resource(String name, String text) {
        entries.put(name, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * Writes the jar under a temporary name beside its place, then renames it there in one step, as the
     * README asks users to drop jars in: a watching Porta never sees it half-written.
     */
    public Path moveInto(Path folder) throws IOException {
        Path temp = writeTo(Files.createDirectories(folder.resolveSibling(folder.getFileName() + ".incoming")));
        return Files.move(temp, folder.resolve(temp.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes the jar into {@code folder} as {@code ID.jar}; returns its path. */
    public Path writeTo(Path folder) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((k, v) -> m.getMainAttributes().putValue(k, v));
        Path jar = Files.createDirectories(folder).resolve(fileName != null ? fileName : manifest.get("Plugin-Id") + ".jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, m)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
            }
            if (!extensions.isEmpty()) {
                out.putNextEntry(new ZipEntry("META-INF/extensions.idx"));
                out.write((String.join("\n", extensions) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }
}
