package dev.porta.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpDatesTest {

    /** RFC 9110's example instant: Sun, 06 Nov 1994 08:49:37 GMT. */
    private static final Instant EXAMPLE = Instant.ofEpochSecond(784111777);
    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");

    private static Optional<Instant> at(String year, int month, int day, int hour, int minute, int second) {
        return Optional.of(LocalDateTime.of(Integer.parseInt(year), month, day, hour, minute, second).toInstant(ZoneOffset.UTC));
    }

    @Test
    void formatsAnImfFixdateWithATwoDigitDayAndNoFraction() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(EXAMPLE));
        assertEquals("Fri, 02 Jan 2026 03:04:05 GMT", HttpDates.format(Instant.parse("2026-01-02T03:04:05.999Z")));
    }

    @Test
    void parsesTheThreeForms() {
        assertEquals(Optional.of(EXAMPLE), HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
        assertEquals(Optional.of(EXAMPLE), HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT"));
        assertEquals(Optional.of(EXAMPLE), HttpDates.parse("Sun Nov  6 08:49:37 1994"));
        assertEquals(at("1994", 11, 16, 8, 49, 37), HttpDates.parse("Wed Nov 16 08:49:37 1994"));
        assertEquals(at("2021", 9, 1, 0, 0, 0), HttpDates.parse("Wednesday, 01-Sep-21 00:00:00 GMT", NOW));
    }

    @Test
    void readsWhatItWrites() {
        Instant t = Instant.parse("2031-02-28T23:59:59Z");
        assertEquals(Optional.of(t), HttpDates.parse(HttpDates.format(t)));
    }

    @Test
    void aTwoDigitYearIsTheLatestNotMoreThanFiftyYearsAhead() {
        assertEquals(at("1994", 11, 6, 8, 49, 37), HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW));
        assertEquals(at("2070", 1, 1, 0, 0, 0), HttpDates.parse("Wednesday, 01-Jan-70 00:00:00 GMT", NOW));
        assertEquals(at("2000", 1, 1, 0, 0, 0), HttpDates.parse("Saturday, 01-Jan-00 00:00:00 GMT", NOW));
        // 50 years ahead to the second is still the future; one second later is the century before
        assertEquals(at("2076", 6, 15, 12, 0, 0), HttpDates.parse("Monday, 15-Jun-76 12:00:00 GMT", NOW));
        assertEquals(at("1976", 6, 15, 12, 0, 1), HttpDates.parse("Tuesday, 15-Jun-76 12:00:01 GMT", NOW));
        // from late in the century, early years are the next century
        assertEquals(at("2105", 3, 1, 0, 0, 0), HttpDates.parse("Sunday, 01-Mar-05 00:00:00 GMT", Instant.parse("2090-01-01T00:00:00Z")));
    }

    @Test
    void aTwoDigitYearOnTheTwentyNinthOfFebruaryMustExistInTheCenturyChosen() {
        assertEquals(at("2000", 2, 29, 0, 0, 0), HttpDates.parse("Tuesday, 29-Feb-00 00:00:00 GMT", NOW));
        // from 2060 on, "00" is 2100, which is not a leap year
        assertEquals(Optional.empty(), HttpDates.parse("Monday, 29-Feb-00 00:00:00 GMT", Instant.parse("2060-01-01T00:00:00Z")));
    }

    @Test
    void letterCaseAndSurroundingWhiteSpaceDoNotMatter() {
        assertEquals(Optional.of(EXAMPLE), HttpDates.parse(" \tSUN, 06 nov 1994 08:49:37 gmt "));
        assertEquals(Optional.of(EXAMPLE), HttpDates.parse("sunday, 06-NOV-94 08:49:37 GMT"));
    }

    @Test
    void aLeapSecondIsTheSecondBefore() {
        assertEquals(at("2016", 12, 31, 23, 59, 59), HttpDates.parse("Sat, 31 Dec 2016 23:59:60 GMT"));
    }

    @Test
    void anythingElseIsNotADate() {
        String[] invalid = {
            "", "not a date", "784111777", "1994-11-06T08:49:37Z",
            "Sun, 6 Nov 1994 08:49:37 GMT",       // one-digit day
            "Sun, 06 Nov 94 08:49:37 GMT",        // two-digit year in an IMF-fixdate
            "Sun, 06 Nov 1994 08:49:37 +0000",    // numeric zone
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49 GMT",         // no seconds
            "06 Nov 1994 08:49:37 GMT",           // no day name
            "Mon, 06 Nov 1994 08:49:37 GMT",      // the wrong day name
            "Sun, 06 Nov 1994 08:49:37 GMT x",
            "Sun,  06 Nov 1994 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",      // no such day
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:37 GMT",
            "Sun, 06 Nov 1994 08:49:61 GMT",
            "Sun, 06 Xyz 1994 08:49:37 GMT",
            "Sun, 0x Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08-49-37 GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",        // short day name in the RFC 850 form
            "Sunday, 06-Nov-1994 08:49:37 GMT",   // four-digit year in the RFC 850 form
            "Sunday, 06 Nov 94 08:49:37 GMT",
            "Someday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov 6 08:49:37 1994",            // asctime day not padded
            "Sun Nov 06 08:49:37 1994 GMT",
            "Sun Nov  6 08:49:37 94",
        };
        for (String text : invalid) {
            assertEquals(Optional.empty(), HttpDates.parse(text, NOW), text);
        }
    }
}
