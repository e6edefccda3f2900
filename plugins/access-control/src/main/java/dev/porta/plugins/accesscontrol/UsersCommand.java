package dev.porta.plugins.accesscontrol;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Manages an htpasswd users file without Apache's tools ({@code ./porta users …} runs this):
 * <pre>
 *   add FILE USER [--stdin]   add a user or change a password (bcrypt, cost 10)
 *   remove FILE USER          remove a user
 *   list FILE                 list the users
 * </pre>
 * The password is read from the terminal without echo (twice), or from standard input with
 * {@code --stdin} or when there is no terminal. The file is written to a temporary file and renamed
 * into place, so that a running Porta never reads half of it.
 */
public final class UsersCommand {

    static final int COST = 10;
    private static final String USAGE = """
            usage: porta users add FILE USER [--stdin]   add a user or change a password (bcrypt)
                   porta users remove FILE USER          remove a user
                   porta users list FILE                 list the users""";

    private UsersCommand() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args, System.console(), new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("porta users: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs one command; returns the exit status. */
    static int run(String[] args, Console console, BufferedReader stdin, PrintStream out) throws IOException {
        if (args.length == 0) throw new IllegalArgumentException("say what to do: add, remove or list\n" + USAGE);
        if (!List.of("add", "remove", "list").contains(args[0])) throw new IllegalArgumentException("unknown command '" + args[0] + "'\n" + USAGE);
        if (args.length < 2) throw new IllegalArgumentException(args[0] + " needs the users FILE\n" + USAGE);
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "list" -> {
                if (!Files.exists(file)) throw new IllegalArgumentException(file + ": no such file");
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String l = line.strip();
                    if (!l.isEmpty() && !l.startsWith("#") && l.indexOf(':') > 0) out.println(l.substring(0, l.indexOf(':')));
                }
                return 0;
            }
            case "add" -> {
                if (args.length < 3) throw new IllegalArgumentException("add needs the USER to add\n" + USAGE);
                String user = args[2];
                if (user.isEmpty() || user.contains(":") || user.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new IllegalArgumentException("a user name may not be empty or contain ':' or control characters");
                }
                boolean fromStdin = Arrays.asList(args).contains("--stdin") || console == null;
                char[] password = fromStdin ? readLine(stdin) : readTwice(console, user);
                if (password.length == 0) throw new IllegalArgumentException("the password is empty");
                byte[] utf8 = new String(password).getBytes(StandardCharsets.UTF_8);
                Arrays.fill(password, '\0');
                if (utf8.length > 72) throw new IllegalArgumentException("bcrypt uses at most 72 bytes of a password; choose a shorter one");
                String hash = new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hash(COST, utf8), StandardCharsets.US_ASCII);
                Arrays.fill(utf8, (byte) 0);
                boolean changed = write(file, user, user + ":" + hash);
                out.println((changed ? "Changed the password of " : "Added ") + user + " in " + file);
                return 0;
            }
            case "remove" -> {
                if (args.length < 3) throw new IllegalArgumentException("remove needs the USER to remove\n" + USAGE);
                if (!Files.exists(file) || !write(file, args[2], null)) throw new IllegalArgumentException("no user '" + args[2] + "' in " + file);
                out.println("Removed " + args[2] + " from " + file);
                return 0;
            }
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'\n" + USAGE);
        }
    }

    private static char[] readTwice(Console console, String user) {
        char[] first = console.readPassword("Password for %s: ", user);
        char[] second = console.readPassword("Again: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new IllegalArgumentException("the passwords differ; nothing was changed");
        }
        Arrays.fill(second, '\0');
        return first;
    }

    private static char[] readLine(BufferedReader stdin) throws IOException {
        String line = stdin.readLine();
        return line == null ? new char[0] : line.toCharArray();
    }

    /** Replaces (or, with null, removes) the line of {@code user}, or adds it; whether the user was there. */
    private static boolean write(Path file, String user, String newLine) throws IOException {
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(user + ":")) {
                found = true;
                if (newLine == null) lines.remove(i--);
                else lines.set(i, newLine);
            }
        }
        if (!found && newLine != null) lines.add(newLine);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return found;
    }
}
