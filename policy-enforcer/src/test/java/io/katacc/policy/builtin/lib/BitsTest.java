package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BitsTest {
    @Test
    void twosComplement() throws Exception {
        assertEquals(json("7"), j("bits.or", "5", "3"));
        assertEquals(json("1"), j("bits.and", "5", "3"));
        assertEquals(json("6"), j("bits.xor", "5", "3"));
        assertEquals(json("-2"), j("bits.negate", "1"));
        assertEquals(json("49"), j("bits.negate", "-50"));
        assertEquals(json("36"), j("bits.lsh", "9", "2"));
        assertEquals(json("2"), j("bits.rsh", "9", "2"));
        assertEquals(json("-3"), j("bits.rsh", "-9", "2"));
        assertEquals(json("18446744073709551616"), j("bits.lsh", "1", "64"));
        fails("bits.or", "1.5", "1");
        fails("bits.lsh", "1", "-1");
        fails("bits.negate", "\"str\"");
    }
}
