package dev.porta.server.config;

import dev.porta.spi.ConfigException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The command-line flags; each overrides the config file.
 *
 * @param config  {@code --config FILE}
 * @param port    {@code --port N} (0 binds a free port)
 * @param root    {@code --root DIR}
 * @param plugins {@code --plugins DIR}
 * @param host    {@code --host ADDR}
 */
public record CommandLine(Optional<Path> config, OptionalInt port, Optional<Path> root, Optional<Path> plugins,
                          Optional<String> host) {

    // Commands: one line each, in the launcher's order.
    /** The usage text printed by {@code --help}: every command and flag, one line each. */
    public static final String USAGE = """
            Usage: porta [COMMAND] [FLAGS]
            Commands (none: run the server):
              check                  check the config, plugins, files and ports without serving; exit 0 or 2
              reload                 make the running Porta re-read its config (SIGHUP through its PID file)
              users add|remove|list FILE [USER]  manage an htpasswd users file (bcrypt)
              sdk                    install porta-spi and porta-testkit into the local Maven repository
              new-plugin NAME [DIR]  write a standalone plugin project into DIR (default ./NAME)
              java-home              print the Java 21+ the launcher runs
              build                  build the server and the bundled plugins (from a source checkout)
              test                   run the whole test suite, mvn verify (from a source checkout)
            Flags:
              --config FILE          the config file (default: conf/porta.properties under Porta's home, if it exists)
              --port N               the port to listen on (0: any free port)
              --host ADDR            the address to listen on (default 0.0.0.0)
              --root DIR             the site folder to serve (default www)
              --plugins DIR          the folder of plugin jars (default plugins)
              --version              print Porta's version, the SPI version and the Java runtime
              -h, --help             print this help""";

    /** The flags that take a value. */
    private static final java.util.Set<String> VALUE_FLAGS = java.util.Set.of("--config", "--port", "--root", "--plugins", "--host");

    /** Parses the flags; a bad one is a {@link ConfigException}. {@code --help} gives an empty result. */
    public static CommandLine parse(String... args) {
        Optional<Path> config = Optional.empty();
        OptionalInt port = OptionalInt.empty();
        Optional<Path> root = Optional.empty();
        Optional<Path> plugins = Optional.empty();
        Optional<String> host = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!flag.startsWith("--")) throw new ConfigException("command line: unexpected argument '" + flag + "' (porta --help lists the commands and flags)");
            String value;
            int eq = flag.indexOf('=');
            String name = eq > 0 ? flag.substring(0, eq) : flag;
            // an unknown flag is named as such, whether or not a value follows it
            if (!VALUE_FLAGS.contains(name)) throw new ConfigException("command line: unknown flag " + name + " (porta --help lists them)");
            if (eq > 0) {
                value = flag.substring(eq + 1);
                flag = name;
            } else {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new ConfigException("command line: " + flag + " needs a value (" + flag + " " + placeholder(flag) + ")");
                }
                value = args[++i];
            }
            switch (flag) {
                case "--config" -> config = Optional.of(path(flag, value));
                case "--port" -> port = OptionalInt.of(port(value));
                case "--root" -> root = Optional.of(path(flag, value));
                case "--plugins" -> plugins = Optional.of(path(flag, value));
                case "--host" -> host = Optional.of(value);
                default -> throw new IllegalStateException(flag); // VALUE_FLAGS lists every case
            }
        }
        return new CommandLine(config, port, root, plugins, host);
    }

    private static String placeholder(String flag) {
        return switch (flag) {
            case "--port" -> "N";
            case "--host" -> "ADDR";
            case "--config" -> "FILE";
            default -> "DIR";
        };
    }

    /** A path from the command line: a relative one is taken against the directory the command was run from. */
    private static Path path(String flag, String value) {
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException("command line: " + flag + " " + value + ": not a valid path");
        }
    }

    private static int port(String value) {
        try {
            int p = Integer.parseInt(value);
            if (p >= 0 && p <= 65535) return p;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("command line: --port " + value + ": not a port number (0-65535)");
    }
}
