package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NumbersTest {
    @Test
    void toNumber() throws Exception {
        assertEquals(json("42"), j("to_number", "\"42\""));
        assertEquals(json("-1.5"), j("to_number", "\"-1.5\""));
        assertEquals(json("1000"), j("to_number", "\"1e3\""));
        assertEquals(json("1"), j("to_number", "true"));
        assertEquals(json("0"), j("to_number", "null"));
        fails("to_number", "\"devpts\"");
        fails("to_number", "\"\"");
        fails("to_number", "\"Inf\"");
        fails("to_number", "[1]");
    }

    @Test
    void rounding() throws Exception {
        assertEquals(json("3"), j("round", "2.5"));
        assertEquals(json("-3"), j("round", "-2.5"));
        assertEquals(json("2"), j("round", "2.4"));
        assertEquals(json("-2"), j("floor", "-1.5"));
        assertEquals(json("-1"), j("ceil", "-1.5"));
        assertEquals(json("1.5"), j("abs", "-1.5"));
    }

    @Test
    void ranges() throws Exception {
        assertEquals(json("[1,2,3]"), j("numbers.range", "1", "3"));
        assertEquals(json("[3,2,1]"), j("numbers.range", "3", "1"));
        assertEquals(json("[0,3,6,9]"), j("numbers.range_step", "0", "10", "3"));
        fails("numbers.range", "1", "2.5");
        fails("numbers.range_step", "0", "10", "0");
        fails("numbers.range", "0", "100000000000");
    }
}
