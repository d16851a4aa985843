package io.katacc.shim.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GuestBootFiguresTest {
    @Test
    void readsInitAndAgentMarkersFromTheConsole() {
        GuestBootFigures f = GuestBootFigures.parse("""
                [    0.000000] Linux version 6.1.0
                kcc-init: start uptime=2.20
                kcc-init: start uptime=2.25
                kcc-init: agent started pid=142 uptime=2.81
                time=2026-12-02T08:43:06.800Z level=INFO source=agent msg="agent start-to-ready 7673 ms"
                """);
        assertEquals(2.20, f.initAtUptime().getAsDouble(), 1e-9, "the first marker (before the re-root)");
        assertEquals(2.81, f.agentLaunchedAtUptime().getAsDouble(), 1e-9);
        assertEquals(7673, f.agentStartToReadyMs().getAsLong());
        assertTrue(f.toString().contains("agent start-to-ready 7673 ms"), f.toString());
    }

    @Test
    void missingMarkersStayUnknown() {
        GuestBootFigures f = GuestBootFigures.parse("kernel panic");
        assertTrue(f.initAtUptime().isEmpty() && f.agentStartToReadyMs().isEmpty());
        assertTrue(f.toString().contains("init at uptime ? s"), f.toString());
    }
}
