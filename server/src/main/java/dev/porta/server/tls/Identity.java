package dev.porta.server.tls;

import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One certificate as served: its private key, its chain (the certificate first) and the DNS names of its
 * SAN, by which SNI picks it.
 *
 * @param name      the NAME of {@code server.https.cert.NAME}
 * @param key       the private key
 * @param chain     the certificate, then the intermediates
 * @param hostNames the SAN's DNS names, lower case ({@code *.example.org} for a wildcard)
 */
record Identity(String name, PrivateKey key, X509Certificate[] chain, List<String> hostNames) {

    Identity {
        chain = chain.clone();
        hostNames = List.copyOf(hostNames);
    }

    /** An identity for {@code chain} and {@code key}, its names read from the certificate's SAN. */
    static Identity of(String name, PrivateKey key, X509Certificate[] chain) {
        return new Identity(name, key, chain, dnsNames(chain[0]));
    }

    /** The key type as JSSE names it when it asks for a server alias: {@code RSA}, {@code EC}, … */
    String keyType() {
        return key.getAlgorithm();
    }

    /** Whether this certificate covers {@code host} (exactly, or by a wildcard for one label). */
    boolean covers(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String n : hostNames) {
            if (n.equals(h)) return true;
            if (n.startsWith("*.") && h.endsWith(n.substring(1)) && h.indexOf('.') == h.length() - n.length() + 1) return true;
        }
        return false;
    }

    private static List<String> dnsNames(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            var san = cert.getSubjectAlternativeNames();
            if (san != null) {
                for (List<?> entry : san) {
                    if (entry.size() >= 2 && Integer.valueOf(2).equals(entry.get(0)) && entry.get(1) instanceof String dns) {
                        names.add(dns.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable SAN: the certificate can still be the default
        }
        return names;
    }

    @Override
    public String toString() { // never the key
        return name + " " + chain[0].getSubjectX500Principal().getName() + " " + hostNames;
    }
}
