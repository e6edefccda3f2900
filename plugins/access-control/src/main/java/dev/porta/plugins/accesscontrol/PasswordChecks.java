package dev.porta.plugins.accesscontrol;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Runs password checks, which are slow on purpose, so that a few clients cannot starve the others: one
 * check in flight per client ({@link ClientBlock}, in {@link CheckLines}), at most {@code concurrency} at once, and the slots go
 * in arrival order.
 */
final class PasswordChecks {

    /** How a check ended. */
    enum Outcome {
        MATCH, NO_MATCH,
        /** this client already has a check in flight and a full line behind it */
        CLIENT_BUSY,
        /** no slot freed up in time: the server is flooded from many clients */
        SERVER_BUSY
    }

    private static final long MAX_WAIT_SECONDS = 10;

    private final AccessControl.PasswordCheck check;
    private final CheckLines lines = new CheckLines();
    private final Semaphore slots;
    private final LongAdder done = new LongAdder();

    PasswordChecks(AccessControl.PasswordCheck check, int concurrency) {
        this.check = check;
        this.slots = new Semaphore(concurrency, true);
    }

    /**
     * Checks {@code c} against {@code users} when {@code client}'s turn comes; {@code verifiedMeanwhile}
     * is asked first then, since the check ahead in line may have verified the same credentials.
     */
    Outcome check(InetAddress client, UsersFile users, BasicCredentials c, BooleanSupplier verifiedMeanwhile) {
        Optional<CheckLines.Turn> turn = lines.enter(ClientBlock.of(client));
        if (turn.isEmpty()) return Outcome.CLIENT_BUSY;
        try (CheckLines.Turn t = turn.get()) {
            if (verifiedMeanwhile.getAsBoolean()) return Outcome.MATCH;
            if (!slots.tryAcquire(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) return Outcome.SERVER_BUSY;
            try {
                done.increment();
                return matches(users, c) ? Outcome.MATCH : Outcome.NO_MATCH;
            } finally {
                slots.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.SERVER_BUSY;
        }
    }

    private boolean matches(UsersFile users, BasicCredentials c) {
        PasswordHash hash = users.hashOf(c.user());
        if (hash == null) {
            // an unknown user costs what a wrong password costs: check against some real hash, then say no
            PasswordHash any = users.anyHash();
            if (any != null) check.matches(any, c.password());
            return false;
        }
        return check.matches(hash, c.password());
    }

    /** How many checks ran so far. */
    long done() {
        return done.sum();
    }

    /** How many checks wait for their client's turn or for a slot. */
    int waiting() {
        return lines.waiting() + slots.getQueueLength();
    }
}
