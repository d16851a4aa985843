package io.katacc.agent.guest;

import io.katacc.agent.error.AgentException;

/** SetGuestDateTime: validates the request's seconds/microseconds and sets the wall clock. */
public final class GuestDateTime {

    /** The kernel keeps time in signed 64-bit nanoseconds (KTIME_SEC_MAX); later instants cannot be set. */
    static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

    private final RealtimeClock clock;

    public GuestDateTime(RealtimeClock clock) {
        this.clock = clock;
    }

    public void set(long sec, long usec) {
        if (sec < 0) {
            throw AgentException.invalid("SetGuestDateTime: Sec " + sec + " is negative");
        }
        if (sec > MAX_SECONDS) {
            throw AgentException.invalid("SetGuestDateTime: Sec " + sec + " overflows the kernel clock (max "
                    + MAX_SECONDS + ")");
        }
        if (usec < 0 || usec >= 1_000_000L) {
            throw AgentException.invalid("SetGuestDateTime: Usec " + usec + " is not in [0, 999999]");
        }
        clock.set(sec, usec * 1_000L);
    }
}
