/**
 * HTTP helpers that plugins may use instead of writing their own, the same code the server uses:
 * {@link dev.porta.spi.http.HttpDates} (the three date forms), {@link dev.porta.spi.http.QualityList}
 * ({@code Accept-Encoding} and other lists with {@code q} values), {@link dev.porta.spi.http.EntityTag}
 * and {@link dev.porta.spi.http.EntityTags} ({@code ETag}, {@code If-Match}, {@code If-None-Match}), and
 * {@link dev.porta.spi.http.ByteRanges} ({@code Range}).
 *
 * <p>Every type is an immutable value or a holder of static methods, safe from any thread. Parsers never
 * throw on what a client sent: what cannot be read comes back empty, or is skipped, in the way that RFC
 * 9110 says to treat it.
 *
 * <p>A conditional GET of a file:
 * <pre>{@code
 * EntityTag tag = EntityTag.strong(version);
 * List<String> ifNoneMatch = request.headers().all("If-None-Match");
 * boolean notModified = ifNoneMatch.isEmpty()
 *         ? request.header("If-Modified-Since").flatMap(HttpDates::parse).filter(since -> !modified.isAfter(since)).isPresent()
 *         : EntityTags.parse(ifNoneMatch).matchesWeakly(tag);
 * if (notModified) return Response.of(304).withHeader("ETag", tag.toString());
 * }</pre>
 */
package dev.porta.spi.http;
