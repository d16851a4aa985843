package io.katacc.agent.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.agent.error.AgentException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SetGuestDateTime with a recording clock: the host's clock is never changed. */
class GuestDateTimeTest {

    private final List<long[]> calls = new ArrayList<>();
    private final GuestDateTime dt = new GuestDateTime((s, n) -> calls.add(new long[] {s, n}));

    @Test
    void passesSecondsAndMicrosecondsAsNanoseconds() {
        dt.set(1_795_000_000L, 123_456L);
        assertEquals(1, calls.size());
        assertEquals(1_795_000_000L, calls.get(0)[0]);
        assertEquals(123_456_000L, calls.get(0)[1]);
        dt.set(GuestDateTime.MAX_SECONDS, 999_999L);
        assertEquals(999_999_000L, calls.get(1)[1]);
    }

    @Test
    void rejectsNegativeOverflowingAndOutOfRangeValuesWithoutTouchingTheClock() {
        assertRejected(-1, 0, "Sec -1 is negative");
        assertRejected(Long.MAX_VALUE, 0, "overflows the kernel clock");
        assertRejected(GuestDateTime.MAX_SECONDS + 1, 0, "overflows the kernel clock");
        assertRejected(10, -1, "Usec -1 is not in [0, 999999]");
        assertRejected(10, 1_000_000, "Usec 1000000 is not in [0, 999999]");
        assertRejected(10, Long.MIN_VALUE, "is not in [0, 999999]");
        assertTrue(calls.isEmpty(), "clock never set for bad input");
    }

    private void assertRejected(long sec, long usec, String message) {
        AgentException e = assertThrows(AgentException.class, () -> dt.set(sec, usec));
        assertEquals(AgentException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
