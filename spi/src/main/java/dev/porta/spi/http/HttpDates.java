package dev.porta.spi.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP dates (RFC 9110 §5.6.7), as in {@code Date}, {@code Last-Modified}, {@code If-Modified-Since} and
 * {@code If-Range}. {@link #format} writes IMF-fixdate, the one form a sender may use; {@link #parse}
 * reads all three forms a recipient must accept:
 * <ul>
 *   <li>IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT}</li>
 *   <li>obsolete RFC 850: {@code Sunday, 06-Nov-94 08:49:37 GMT}, whose two-digit year is the latest year
 *       with those digits that is not more than 50 years in the future</li>
 *   <li>obsolete asctime: {@code Sun Nov  6 08:49:37 1994} (a one-digit day is padded with a space)</li>
 * </ul>
 *
 * <p>A typical use, ignoring a date that is not valid as RFC 9110 says to:
 * <pre>{@code
 * Optional<Instant> since = request.header("If-Modified-Since").flatMap(HttpDates::parse);
 * if (since.isPresent() && !lastModified.isAfter(since.get())) return Response.of(304);
 * }</pre>
 *
 * <p>Static methods only (a class that can gain methods without breaking a compiled plugin); it holds no
 * state and may be used from any thread.
 */
public final class HttpDates {

    /** Two-digit day, unlike {@link DateTimeFormatter#RFC_1123_DATE_TIME}. Immutable and thread-safe. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private static final List<String> MONTHS =
            List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");
    private static final List<String> DAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final List<String> LONG_DAYS =
            List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");

    /** How far in the future a two-digit year may lie before it is read as the century before (RFC 9110 §5.6.7). */
    private static final int TWO_DIGIT_YEAR_HORIZON = 50;

    private HttpDates() {
    }

    /**
     * {@code instant} as an IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}; fractions of a second
     * are dropped.
     */
    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /**
     * The instant an HTTP date in any of the three forms stands for; an RFC 850 date's two-digit year is
     * read against the current time.
     *
     * @param text a field value; white space around it is ignored
     * @return empty if {@code text} is not an HTTP date: another layout, a numeric time zone, a day or
     *         month name that is not one of the English abbreviations (letter case is not checked), a date
     *         that does not exist, or a day name that does not fit the date. A leap second ({@code :60})
     *         is read as {@code :59}.
     */
    public static Optional<Instant> parse(String text) {
        return parse(text, Instant.now());
    }

    /**
     * As {@link #parse(String)}, with an RFC 850 date's two-digit year read against {@code now}: with
     * {@code now} in 2026, {@code 94} is 1994 and {@code 70} is 2070.
     */
    public static Optional<Instant> parse(String text, Instant now) {
        String s = Grammar.trimOws(text);
        int comma = s.indexOf(',');
        if (comma == 3) return imfFixdate(s);
        if (comma > 3) return rfc850(s, comma, now);
        return asctime(s);
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}, at fixed positions. */
    private static Optional<Instant> imfFixdate(String s) {
        if (s.length() != 29 || !separators(s, 4, 7, 11, 16, 25) || !endsWithGmt(s)) return Optional.empty();
        return instant(dayName(s.substring(0, 3), DAYS), number(s, 12, 4), month(s, 8), number(s, 5, 2), s, 17);
    }

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}: the day name is as long as it is, the rest at fixed positions. */
    private static Optional<Instant> rfc850(String s, int comma, Instant now) {
        int d = comma + 2; // the day of month
        if (s.length() != d + 22 || !separators(s, comma + 1, d + 9, d + 18) || !endsWithGmt(s)
                || s.charAt(d + 2) != '-' || s.charAt(d + 6) != '-') {
            return Optional.empty();
        }
        int twoDigitYear = number(s, d + 7, 2);
        int month = month(s, d + 3);
        int day = number(s, d, 2);
        int year = twoDigitYear < 0 || month < 0 || day < 0 ? -1 : fullYear(twoDigitYear, month, day, s, d + 10, now);
        return instant(dayName(s.substring(0, comma), LONG_DAYS), year, month, day, s, d + 10);
    }

    /** {@code Sun Nov  6 08:49:37 1994}, at fixed positions. */
    private static Optional<Instant> asctime(String s) {
        if (s.length() != 24 || !separators(s, 3, 7, 10, 19)) return Optional.empty();
        // date3 = month SP ( 2DIGIT / ( SP DIGIT ) )
        int day = s.charAt(8) == ' ' ? number(s, 9, 1) : number(s, 8, 2);
        return instant(dayName(s.substring(0, 3), DAYS), number(s, 20, 4), month(s, 4), day, s, 11);
    }

    /**
     * The year ending in {@code twoDigitYear} that is the latest not more than 50 years after {@code now}.
     * Compared field by field, so that a day that exists in only one of the two centuries (29 February)
     * still compares; whether it exists is checked afterwards.
     */
    private static int fullYear(int twoDigitYear, int month, int day, String s, int timeAt, Instant now) {
        LocalDateTime horizon = LocalDateTime.ofInstant(now, ZoneOffset.UTC).plusYears(TWO_DIGIT_YEAR_HORIZON);
        int year = horizon.getYear() / 100 * 100 + twoDigitYear;
        long limit = fieldOrder(horizon.getYear(), horizon.getMonthValue(), horizon.getDayOfMonth(),
                horizon.getHour(), horizon.getMinute(), horizon.getSecond());
        long candidate = fieldOrder(year, month, day, number(s, timeAt, 2), number(s, timeAt + 3, 2), number(s, timeAt + 6, 2));
        return candidate > limit ? year - 100 : year;
    }

    /** A number that orders timestamps as their fields do (every field below its bound). */
    private static long fieldOrder(int year, int month, int day, int hour, int minute, int second) {
        return ((((year * 13L + month) * 32 + day) * 24 + hour) * 60 + minute) * 61 + second;
    }

    /** The instant of these fields and the {@code HH:MM:SS} at {@code timeAt}; empty if any is missing or wrong. */
    private static Optional<Instant> instant(int dayName, int year, int month, int day, String s, int timeAt) {
        if (s.charAt(timeAt + 2) != ':' || s.charAt(timeAt + 5) != ':') return Optional.empty();
        int hour = number(s, timeAt, 2);
        int minute = number(s, timeAt + 3, 2);
        int second = number(s, timeAt + 6, 2);
        if (dayName < 0 || year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 60) {
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.of(year, month, day);
            if (date.getDayOfWeek().getValue() != dayName) return Optional.empty();
            return Optional.of(date.atTime(hour, minute, Math.min(second, 59)).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) { // 31 Apr, 29 Feb of a common year
            return Optional.empty();
        }
    }

    /** Whether there is a space at each of {@code positions}. */
    private static boolean separators(String s, int... positions) {
        for (int p : positions) {
            if (s.charAt(p) != ' ') return false;
        }
        return true;
    }

    /** The {@code count} decimal digits at {@code from} as a number, or -1 if they are not all digits. */
    private static int number(String s, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** The month (1 to 12) whose abbreviation stands at {@code at}, or -1. */
    private static int month(String s, int at) {
        for (int m = 0; m < MONTHS.size(); m++) {
            if (s.regionMatches(true, at, MONTHS.get(m), 0, 3)) return m + 1;
        }
        return -1;
    }

    /** The day of the week (1 for Monday to 7) that {@code name} is in {@code names}, or -1. */
    private static int dayName(String name, List<String> names) {
        for (int d = 0; d < names.size(); d++) {
            if (names.get(d).equalsIgnoreCase(name)) return d + 1;
        }
        return -1;
    }

    private static boolean endsWithGmt(String s) {
        return s.regionMatches(true, s.length() - 3, "GMT", 0, 3);
    }
}
