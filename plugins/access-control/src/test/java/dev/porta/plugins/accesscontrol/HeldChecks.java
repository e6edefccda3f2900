package dev.porta.plugins.accesscontrol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;

/**
 * A password check that begins, records the password it was given, then waits until the test lets it
 * run: so a test decides when checks finish, and sees in which order they began.
 */
final class HeldChecks implements AccessControl.PasswordCheck {

    private final Semaphore permits = new Semaphore(0);
    private final List<String> begun = new CopyOnWriteArrayList<>();
    private volatile boolean open;

    @Override
    public boolean matches(PasswordHash hash, byte[] password) {
        begun.add(new String(password, StandardCharsets.UTF_8));
        if (!open) permits.acquireUninterruptibly();
        return hash.matches(password);
    }

    /** Lets one held check (or the next to begin) run. */
    void letOneRun() {
        permits.release();
    }

    /** Lets every check run, now and from now on. */
    void openAll() {
        open = true;
        permits.release(1_000_000);
    }

    /** The passwords of the checks begun so far, in the order they began. */
    List<String> begun() {
        return List.copyOf(begun);
    }
}
