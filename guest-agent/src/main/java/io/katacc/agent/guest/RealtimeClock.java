package io.katacc.agent.guest;

/** Sets the guest's wall clock; an interface so tests never move the host's clock. */
public interface RealtimeClock {

    /** Sets CLOCK_REALTIME; arguments are already validated. */
    void set(long seconds, long nanos);
}
