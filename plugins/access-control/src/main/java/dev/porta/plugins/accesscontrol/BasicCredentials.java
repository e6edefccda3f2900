package dev.porta.plugins.accesscontrol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The user and password of an {@code Authorization: Basic …} header (RFC 7617), the password kept as
 * UTF-8 bytes.
 *
 * @param user     the user id
 * @param password the password's UTF-8 bytes
 */
record BasicCredentials(String user, byte[] password) {

    /** The credentials in {@code header}, or empty if it is not well-formed Basic. */
    static Optional<BasicCredentials> parse(String header) {
        String h = header.strip();
        if (h.length() < 6 || !h.regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(h.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = -1;
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) return Optional.empty();
        String user;
        try {
            user = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded, 0, colon)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredentials(user, Arrays.copyOfRange(decoded, colon + 1, decoded.length)));
    }

    @Override
    public String toString() {
        return "BasicCredentials[" + user + ", password hidden]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BasicCredentials c && c.user.equals(user) && Arrays.equals(c.password, password);
    }

    @Override
    public int hashCode() {
        return user.hashCode() * 31 + Arrays.hashCode(password);
    }
}
