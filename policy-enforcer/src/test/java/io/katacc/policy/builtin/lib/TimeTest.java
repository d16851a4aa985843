package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TimeTest {
    private static final String T = "1703444325734390000"; // 2023-12-24T18:58:45.73439Z, a Sunday

    @Test
    void nowIsFixedByContext() throws Exception {
        assertEquals(json(Long.toString(Call.CTX.nowNs())), j("time.now_ns"));
    }

    @Test
    void calendarFields() throws Exception {
        assertEquals(json("[2023,12,24]"), j("time.date", T));
        assertEquals(json("[18,58,45]"), j("time.clock", T));
        assertEquals(json("[19,58,45]"), j("time.clock", "[" + T + ",\"CET\"]"));
        assertEquals(json("\"Sunday\""), j("time.weekday", T));
        fails("time.date", "\"" + T + "\"");
        fails("time.clock", "[" + T + ",\"Nowhere/Zone\"]");
    }

    @Test
    void parseAndFormatWithGoLayouts() throws Exception {
        assertEquals(json("1462907202000000000"), j("time.parse_ns", "\"2006-01-02T15:04:05\"", "\"2016-05-10T19:06:42\""));
        assertEquals(json("1257894000000000000"), j("time.parse_rfc3339_ns", "\"2009-11-10T23:00:00Z\""));
        assertEquals(json("1257894000000000000"), j("time.parse_rfc3339_ns", "\"2009-11-11T00:00:00+01:00\""));
        // Default format as regorus (Kata's engine): 0/3/6/9 fraction digits; OPA would print .73439Z.
        assertEquals(json("\"2023-12-24T18:58:45.734390Z\""), j("time.format", T));
        assertEquals(json("\"2023-12-24T19:58:45.734390+01:00\""), j("time.format", "[" + T + ",\"CET\"]"));
        assertEquals(json("\"10/11/2009 23:00\""), j("time.format", "[1257894000000000000,\"\",\"02/01/2006 15:04\"]"));
        assertEquals(json("\"Dec 24, 2023 at 6:58pm (UTC)\""),
                j("time.format", "[" + T + ",\"UTC\",\"Jan 2, 2006 at 3:04pm (MST)\"]"));
        fails("time.parse_rfc3339_ns", "\"2009-11-10\"");
    }

    @Test
    void addDateNormalisesLikeGo() throws Exception {
        assertEquals(json("1735066725734390000"), j("time.add_date", T, "1", "0", "0"));
        assertEquals(json("1706122725734390000"), j("time.add_date", T, "0", "1", "0"));
        // 2023-01-31 + 1 month = 2023-03-03 in Go.
        assertEquals(json("1677801600000000000"), j("time.add_date", "1675123200000000000", "0", "1", "0"));
        fails("time.add_date", T, "2147483647", "0", "0");
    }

    @Test
    void durations() throws Exception {
        assertEquals(json("3973320015001"), j("time.parse_duration_ns", "\"1h6m13.3s20ms15µs1ns\""));
        assertEquals(json("15000001"), j("time.parse_duration_ns", "\"15.000001ms\""));
        assertEquals(json("-1500000000"), j("time.parse_duration_ns", "\"-1.5s\""));
        fails("time.parse_duration_ns", "\"1d\"");
        fails("time.parse_duration_ns", "\"\"");
    }

    @Test
    void diff() throws Exception {
        // 2009-11-10T23:00:00Z .. 2023-12-24T18:58:45Z
        assertEquals(json("[14,1,13,19,58,45]"), j("time.diff", T, "1257894000000000000"));
    }
}
