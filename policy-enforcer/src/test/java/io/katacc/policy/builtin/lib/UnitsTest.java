package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UnitsTest {
    @Test
    void parse() throws Exception {
        assertEquals(json("1000"), j("units.parse", "\"1K\""));
        assertEquals(json("0.001"), j("units.parse", "\"1m\""));
        assertEquals(json("1000000"), j("units.parse", "\"1M\""));
        assertEquals(json("1536"), j("units.parse", "\"1.5Ki\""));
        assertEquals(json("1073741824"), j("units.parse", "\"1gI\""));
        assertEquals(json("0.5"), j("units.parse", "\"\\\"500m\\\"\""));
        fails("units.parse", "\"1 m\"");
        fails("units.parse", "\"1mb\"");
        fails("units.parse", "\"Ki\"");
    }

    @Test
    void parseBytes() throws Exception {
        assertEquals(json("1024"), j("units.parse_bytes", "\"1KiB\""));
        assertEquals(json("1000"), j("units.parse_bytes", "\"1kb\""));
        assertEquals(json("1500000"), j("units.parse_bytes", "\"1.5M\""));
        assertEquals(json("5"), j("units.parse_bytes", "\"5\""));
        assertEquals(json("1208925819614629174706176"), j("units.parse_bytes", "\"1YiB\""));
        fails("units.parse_bytes", "\"1xB\"");
    }
}
