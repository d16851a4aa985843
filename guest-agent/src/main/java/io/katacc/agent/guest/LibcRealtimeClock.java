package io.katacc.agent.guest;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.katacc.agent.error.AgentException;

/** {@code clock_settime(CLOCK_REALTIME, ...)} through JNA (64-bit Linux: time_t and long are 8 bytes). */
public final class LibcRealtimeClock implements RealtimeClock {

    private static final int CLOCK_REALTIME = 0;

    private interface C extends Library {
        int clock_settime(int clockId, Pointer timespec) throws LastErrorException;
    }

    private final C libc = Native.load("c", C.class);

    @Override
    public void set(long seconds, long nanos) {
        try (Memory ts = new Memory(16)) {
            ts.setLong(0, seconds);
            ts.setLong(8, nanos);
            libc.clock_settime(CLOCK_REALTIME, ts);
        } catch (LastErrorException e) {
            throw new AgentException(AgentException.Kind.FAILED_PRECONDITION,
                    "SetGuestDateTime: clock_settime failed: errno " + e.getErrorCode());
        }
    }
}
