package dev.porta.server.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Picks the certificate for a handshake: the first whose SAN covers the client's SNI host name and whose
 * key fits the key type JSSE asks about (JSSE asks for each type the client can verify, in the client's
 * order: an EC and an RSA certificate for the same names both serve); without SNI or without a match,
 * the first certificate configured (the default), or one for exactly its names with another key type. A
 * name no configured certificate covers (or no SNI when no file is configured) is first asked of the
 * plugins' certificate providers ({@link ProvidedCertificates}). Reads the current certificates on every handshake,
 * so a reloaded certificate serves the next handshake. An alias names one loaded version of a
 * certificate, so a handshake that began before a reload finishes with the version it chose.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private final Supplier<List<Identity>> current;
    private final ProvidedCertificates provided;
    /** Alias → identity, for the versions handed out; an alias is {@code NAME#VERSION}. */
    private final Map<String, Identity> byAlias = new ConcurrentHashMap<>();
    private final Map<Identity, String> aliases = new ConcurrentHashMap<>();
    private long versions;

    SniKeyManager(Supplier<List<Identity>> current) {
        this(current, ProvidedCertificates.none());
    }

    /** Picks among the configured certificates {@code current}, then those the plugins give ({@code provided}). */
    SniKeyManager(Supplier<List<Identity>> current, ProvidedCertificates provided) {
        this.current = current;
        this.provided = provided;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        SSLSession session = socket instanceof SSLSocket s ? s.getHandshakeSession() : null;
        return choose(keyType, session);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    private String choose(String keyType, SSLSession session) {
        if (keyType == null) return null;
        List<Identity> identities = current.get();
        String host = requestedHost(session);
        boolean named = host != null && identities.stream().anyMatch(i -> i.covers(host));
        if (!named && (host != null || identities.isEmpty())) {
            // no configured file covers the name (or no SNI and no file): a plugin's certificate, if one has it
            Optional<Identity> fromPlugin = provided.forHost(host == null ? "" : host.toLowerCase(Locale.ROOT));
            if (fromPlugin.isPresent()) return fits(fromPlugin.get(), keyType) ? alias(fromPlugin.get()) : null;
        }
        if (identities.isEmpty()) return null;
        Identity fallback = identities.get(0);
        for (Identity i : identities) {
            // the certificates for the name asked; else the default (and one for the same names with another key type)
            boolean candidate = named ? i.covers(host) : i.hostNames().equals(fallback.hostNames());
            if (candidate && fits(i, keyType)) return alias(i);
        }
        return null; // JSSE then asks for the client's next key type
    }

    /** Whether {@code identity}'s key serves JSSE's {@code keyType} ({@code RSA}, {@code EC}, {@code EC_EC}, …). */
    private static boolean fits(Identity identity, String keyType) {
        int underscore = keyType.indexOf('_');
        String type = underscore < 0 ? keyType : keyType.substring(0, underscore);
        return type.equals(identity.keyType());
    }

    private static String requestedHost(SSLSession session) {
        if (!(session instanceof ExtendedSSLSession extended)) return null;
        for (SNIServerName name : extended.getRequestedServerNames()) {
            if (name instanceof SNIHostName host) return host.getAsciiName();
        }
        return null;
    }

    private synchronized String alias(Identity identity) {
        String alias = aliases.get(identity);
        if (alias != null) return alias;
        alias = identity.name() + "#" + (++versions);
        aliases.put(identity, alias);
        byAlias.put(alias, identity);
        forgetReplaced(identity);
        return alias;
    }

    /** Drops the versions no longer configured, keeping the newest replaced one of each for handshakes in flight. */
    private void forgetReplaced(Identity chosen) {
        List<Identity> live = new java.util.ArrayList<>(current.get());
        live.addAll(provided.inUse());
        live.add(chosen); // a plugin's, forgotten by a change a moment ago: this handshake still uses it
        if (byAlias.size() <= live.size() * 2) return;
        aliases.keySet().removeIf(i -> !live.contains(i));
        byAlias.values().removeIf(i -> !live.contains(i));
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Identity i = alias == null ? null : byAlias.get(alias);
        return i == null ? null : i.chain();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Identity i = alias == null ? null : byAlias.get(alias);
        return i == null ? null : i.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<Identity> all = new java.util.ArrayList<>(current.get());
        all.addAll(provided.inUse());
        return all.stream().filter(i -> fits(i, keyType)).map(this::alias).toArray(String[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
