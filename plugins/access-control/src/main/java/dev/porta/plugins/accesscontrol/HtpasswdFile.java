package dev.porta.plugins.accesscontrol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Apache htpasswd file, parsed: {@code user:hash} lines, blank lines and {@code #} comments. Every
 * problem is an {@link IllegalArgumentException} whose message starts with {@code FILE:LINE:}, and never
 * contains the line itself (it may hold a password).
 *
 * @param file  where it was read from
 * @param users user → hash, in file order
 * @param weak  the users whose hash is in a weak format
 */
record HtpasswdFile(Path file, Map<String, PasswordHash> users, List<String> weak) {

    static HtpasswdFile read(Path file) throws IOException {
        return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** The file's {@code lines} parsed; {@code file} names it in messages. */
    static HtpasswdFile parse(Path file, List<String> lines) {
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        List<String> weak = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = file + ":" + (i + 1) + ": ";
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException(where + "expected 'user:hash'");
            String user = line.substring(0, colon);
            // as './porta users add' refuses them: no browser sends such a name (found by fuzzing: "n\0\t")
            if (user.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) throw new IllegalArgumentException(where + "a control character in the user name");
            if (users.containsKey(user)) throw new IllegalArgumentException(where + "user '" + user + "' appears twice");
            PasswordHash hash;
            try {
                hash = PasswordHash.parse(line.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "user '" + user + "': " + e.getMessage());
            }
            users.put(user, hash);
            if (hash.weak()) weak.add(user);
        }
        return new HtpasswdFile(file, Map.copyOf(users), List.copyOf(weak));
    }
}
