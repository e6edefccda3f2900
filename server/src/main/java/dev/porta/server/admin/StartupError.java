package dev.porta.server.admin;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** A start-up failure in one line that names its cause; the stack trace belongs to the debug log. */
public final class StartupError {

    private StartupError() {
    }

    /** E.g. {@code cannot listen on 0.0.0.0:80: permission denied (...)}, {@code logs/porta.log: permission denied}. */
    public static String describe(Throwable e) {
        Throwable cause = e;
        // a wrapper's message is usually its cause's toString(): name the innermost cause
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause.getMessage() == null || cause.getMessage().equals(cause.getCause().toString()))) {
            cause = cause.getCause();
        }
        if (cause instanceof BindException b) return b.getMessage() != null && b.getMessage().startsWith("cannot listen on ")
                ? b.getMessage() : "cannot listen: " + PortAvailability.reason(b);
        if (cause instanceof AccessDeniedException a) return a.getFile() + ": permission denied";
        if (cause instanceof NoSuchFileException n) return n.getFile() + ": no such file or folder";
        if (cause instanceof FileSystemException f) return f.getFile() + ": " + (f.getReason() == null ? f.getClass().getSimpleName() : f.getReason());
        String message = cause.getMessage();
        if (message == null || message.isBlank()) return cause.getClass().getSimpleName();
        return cause instanceof IOException || cause instanceof RuntimeException && cause.getClass().getName().startsWith("java.")
                ? cause.getClass().getSimpleName() + ": " + firstLine(message) : firstLine(message);
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
