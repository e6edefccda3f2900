package dev.porta.plugins.staticindex;

import dev.porta.spi.Request;
import dev.porta.spi.http.EntityTag;
import dev.porta.spi.http.EntityTags;
import dev.porta.spi.http.HttpDates;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Conditional requests (RFC 9110 §13.2.2), evaluated in the order the RFC gives. */
final class Preconditions {

    private Preconditions() {
    }

    /** 412 or 304 when a precondition decides the answer; empty to go on. */
    static Optional<Integer> evaluate(Request request, EntityTag etag, Instant modified) {
        List<String> ifMatch = request.headers().all("If-Match");
        if (!ifMatch.isEmpty()) {
            if (!EntityTags.parse(ifMatch).matchesStrongly(etag)) return Optional.of(412);
        } else {
            Optional<Instant> since = request.header("If-Unmodified-Since").flatMap(HttpDates::parse);
            if (since.isPresent() && modified.isAfter(since.get())) return Optional.of(412);
        }
        boolean getOrHead = request.method().equals("GET") || request.method().equals("HEAD");
        List<String> ifNoneMatch = request.headers().all("If-None-Match");
        if (!ifNoneMatch.isEmpty()) {
            if (EntityTags.parse(ifNoneMatch).matchesWeakly(etag)) return Optional.of(getOrHead ? 304 : 412);
        } else if (getOrHead) {
            Optional<Instant> since = request.header("If-Modified-Since").flatMap(HttpDates::parse);
            if (since.isPresent() && !modified.isAfter(since.get())) return Optional.of(304);
        }
        return Optional.empty();
    }

    /** Whether a {@code Range} may be applied: no {@code If-Range}, or one that still matches. */
    static boolean ifRangeHolds(Request request, EntityTag etag, Instant modified) {
        Optional<String> ifRange = request.header("If-Range");
        if (ifRange.isEmpty()) return true;
        String value = ifRange.get().strip();
        Optional<EntityTag> tag = EntityTag.parse(value);
        if (tag.isPresent()) return tag.get().matchesStrongly(etag); // RFC 9110 §13.1.5: a weak tag never holds
        return HttpDates.parse(value).map(d -> d.equals(modified)).orElse(false);
    }
}
