package dev.porta.plugins.requestlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The {@code request-log.format} that the current log file was written in, kept between runs in a file of
 * the plugin's data folder, so that a changed format starts a new file: a file of two formats stops
 * tools such as GoAccess at the first line they cannot read.
 */
final class FormatRecord {

    /** Lines of this plugin's own, tagged with its id as the lines of context.logger() are. */
    private static final TaggedLogger LOG = Logger.tag("request-log");

    private final Path file;

    FormatRecord(Path file) {
        this.file = file;
    }

    /** Whether {@code format} is the one recorded; false when none is (the current file's format is then unknown). */
    boolean is(String format) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).equals(format);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", file, e.toString());
            return false;
        }
    }

    /** Records {@code format}; written aside and renamed, so that a crash never leaves half a record. */
    void save(String format) {
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, format, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot record its format in {} (a later format change may then not start a new file): {}",
                    file, e.toString());
        }
    }
}
