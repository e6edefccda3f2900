package dev.porta.plugins.requestlog;

import java.io.IOException;
import java.util.List;

/** Where the access-log writer thread puts lines: the rolling files, or a stand-in in tests. */
interface LineSink extends AutoCloseable {

    /**
     * Writes {@code lines}, each followed by a line end, hands them to the operating system, and removes
     * from {@code lines} the ones it wrote: all of them, or on an exception those at the front that reached
     * the file, so that a retry writes each line once.
     */
    void write(List<String> lines) throws IOException;

    @Override
    void close() throws IOException;
}
