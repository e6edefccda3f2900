package dev.porta.plugins.staticindex;

import dev.porta.spi.Request;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Conditional requests (RFC 9110 §13.2.2), evaluated in the order the RFC gives. */
final class Preconditions {

    private Preconditions() {
    }

    /** 412 or 304 when a precondition decides the answer; empty to go on. */
    static Optional<Integer> evaluate(Request request, String etag, Instant modified) {
        List<String> ifMatch = request.headers().all("If-Match");
        if (!ifMatch.isEmpty()) {
            if (!matches(ifMatch, etag, true)) return Optional.of(412);
        } else {
            Optional<Instant> since = request.header("If-Unmodified-Since").flatMap(HttpDates::parse);
            if (since.isPresent() && modified.isAfter(since.get())) return Optional.of(412);
        }
        boolean getOrHead = request.method().equals("GET") || request.method().equals("HEAD");
        List<String> ifNoneMatch = request.headers().all("If-None-Match");
        if (!ifNoneMatch.isEmpty()) {
            if (matches(ifNoneMatch, etag, false)) return Optional.of(getOrHead ? 304 : 412);
        } else if (getOrHead) {
            Optional<Instant> since = request.header("If-Modified-Since").flatMap(HttpDates::parse);
            if (since.isPresent() && !modified.isAfter(since.get())) return Optional.of(304);
        }
        return Optional.empty();
    }

    /** Whether a {@code Range} may be applied: no {@code If-Range}, or one that still matches. */
    static boolean ifRangeHolds(Request request, String etag, Instant modified) {
        Optional<String> ifRange = request.header("If-Range");
        if (ifRange.isEmpty()) return true;
        String value = ifRange.get().strip();
        if (value.startsWith("\"")) return value.equals(etag);
        return HttpDates.parse(value).map(d -> d.equals(modified)).orElse(false);
    }

    private static boolean matches(List<String> headerValues, String etag, boolean strong) {
        String opaque = etag.substring(etag.indexOf('"'));
        for (String value : headerValues) {
            for (String item : value.split(",")) {
                String tag = item.strip();
                if (tag.equals("*")) return true;
                boolean weak = tag.startsWith("W/");
                if (weak && strong) continue;
                if ((weak ? tag.substring(2) : tag).equals(opaque)) return true;
            }
        }
        return false;
    }
}
