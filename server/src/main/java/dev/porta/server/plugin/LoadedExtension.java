package dev.porta.server.plugin;

/**
 * An extension instance with where it came from.
 *
 * @param pluginId the plugin's id
 * @param ordinal  its {@code @Extension(ordinal)}
 * @param instance the one instance Porta uses
 * @param <T>      the extension point
 */
public record LoadedExtension<T>(String pluginId, int ordinal, T instance) {
}
