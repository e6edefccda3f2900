package dev.porta.plugins.accesscontrol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of the htpasswd reader. Any file is either refused, with a message that names
 * {@code FILE:LINE} of one of its lines and never shows that line's hash (it may be a password), or not
 * UTF-8; or it gives one hash per user, each in a form its algorithm can check (a bcrypt cost bcrypt runs,
 * a crypt salt crypt takes: a line that could never match is refused at load, not a silent lock-out),
 * which, written out again, reads back the same.
 */
class HtpasswdFileFuzzTest {

    /** The name in messages: the file is parsed from memory, as {@link HtpasswdFile#read} parses the lines it read. */
    private static final Path FILE = Path.of("/etc/porta/users.htpasswd");
    private static final Pattern WHERE = Pattern.compile(Pattern.quote(FILE.toString()) + ":(\\d+): .+", Pattern.DOTALL);
    /**
     * The formats as crypt(3) and bcrypt define them: bcrypt cost 04-31; SHA-crypt rounds 1000-999999999
     * written without leading zeros (crypt writes the number it used) and a salt of 1-16 of {@code ./0-9A-Za-z};
     * apr1 a salt of 1-8 of those.
     */
    private static final Pattern CHECKABLE = Pattern.compile(
            "\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}"
            + "|\\$5\\$(rounds=[1-9][0-9]{3,8}\\$)?[./A-Za-z0-9]{1,16}\\$[./A-Za-z0-9]{43}"
            + "|\\$6\\$(rounds=[1-9][0-9]{3,8}\\$)?[./A-Za-z0-9]{1,16}\\$[./A-Za-z0-9]{86}"
            + "|\\$apr1\\$[./A-Za-z0-9]{1,8}\\$[./A-Za-z0-9]{22}"
            + "|\\{SHA\\}[A-Za-z0-9+/]{27}=");

    /** What the refusals say on their own, whatever the line. */
    private static final String OWN_WORDS = "expected 'user:hash' user appears twice a malformed bcrypt hash {SHA} hash "
            + "a malformed SHA-crypt hash ($5$ or $6$, [rounds=1000-999999999$]SALT$HASH, a salt of 1 to 16 characters ./0-9A-Za-z) "
            + "a malformed $apr1$ hash a bcrypt hash with cost (bcrypt runs 04 to 31) a control character in the user name "
            + "not a password hash Porta accepts (bcrypt, $5$, $6$, $apr1$, {SHA}); plain-text and DES-crypt passwords are "
            + "refused: make the line with './porta users add' or 'htpasswd -B'";

    @FuzzTest
    @DictionaryEntries({"alice:", "\\x0a", "#", "$2y$10$", "$2y$04$", "$2a$", "$2b$99$", "$5$", "$6$", "rounds=", "rounds=1000$",
        "$apr1$", "{SHA}", "saltsalt$", "=", "./", "\\x0d\\x0a"})
    void usersFileIsReadOrRefusedSafely(byte[] data) {
        String text;
        try {
            // as Files.readAllLines decodes a users file: strictly
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException notUtf8) {
            return; // refused as the IOException it is when read from a file
        }
        HtpasswdFile read;
        try {
            read = HtpasswdFile.parse(FILE, text.lines().toList());
        } catch (IllegalArgumentException refused) {
            assertRefusalIsSafe(refused, text);
            return;
        }
        Map<String, String> written = new LinkedHashMap<>();
        for (Map.Entry<String, PasswordHash> user : read.users().entrySet()) {
            String name = user.getKey();
            // what './porta users add' would write: not empty, no ':', no control character
            assertFalse(name.isEmpty() || name.contains(":") || name.startsWith("#") || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                    || Character.isWhitespace(name.charAt(0)), name);
            String hash = text(user.getValue());
            assertTrue(CHECKABLE.matcher(hash).matches(), () -> "accepted a hash no login can ever match: " + hash);
            assertEquals(hash.startsWith("$apr1$") || hash.startsWith("{SHA}"), read.weak().contains(name));
            written.put(name, hash);
        }
        List<String> lines = new ArrayList<>();
        written.forEach((name, hash) -> lines.add(name + ":" + hash));
        HtpasswdFile again = HtpasswdFile.parse(FILE, String.join("\n", lines).lines().toList());
        Map<String, String> reread = new LinkedHashMap<>();
        again.users().forEach((name, hash) -> reread.put(name, text(hash)));
        assertEquals(written, reread);
    }

    private static void assertRefusalIsSafe(IllegalArgumentException refused, String text) {
        String message = String.valueOf(refused.getMessage());
        Matcher m = WHERE.matcher(message);
        assertTrue(m.matches(), () -> "no FILE:LINE in: " + message);
        List<String> lines = text.lines().toList();
        int line = Integer.parseInt(m.group(1));
        assertTrue(line >= 1 && line <= lines.size(), () -> "line " + line + " of " + lines.size());
        String content = lines.get(line - 1).strip();
        int colon = content.indexOf(':');
        String secret = colon < 0 ? content : content.substring(colon + 1);
        // the user name is shown by design: the secret may only appear inside it (found by fuzzing: a name
        // that holds the hash's text)
        String shown = colon <= 0 ? message : message.replace("'" + content.substring(0, colon) + "'", "'USER'");
        // (a short secret may be a word of the message itself: "hash" in "expected 'user:hash'")
        if (secret.length() >= 6 && !OWN_WORDS.contains(secret)) {
            assertFalse(shown.substring(FILE.toString().length()).contains(secret), () -> "the message shows the line's secret: " + message);
        }
    }

    /** A hash as an htpasswd line spells it. */
    private static String text(PasswordHash hash) {
        return switch (hash) {
            case PasswordHash.Bcrypt b -> b.hash();
            case PasswordHash.ShaCrypt s -> s.hash();
            case PasswordHash.Apr1 a -> a.hash();
            case PasswordHash.Sha1 s -> "{SHA}" + Base64.getEncoder().encodeToString(s.digest());
        };
    }
}
