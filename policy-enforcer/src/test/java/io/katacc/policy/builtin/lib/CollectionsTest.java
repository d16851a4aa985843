package io.katacc.policy.builtin.lib;

import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.Value;
import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.call;
import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CollectionsTest {
    @Test
    void aggregates() throws Exception {
        assertEquals(json("6.5"), j("sum", "[1,2,3.5]"));
        assertEquals(json("24"), j("product", "[1,2,3,4]"));
        assertEquals(json("3"), j("max", "[-1,3,2]"));
        assertEquals(json("\"b\""), j("max", "[1,\"a\",\"b\"]"));
        assertEquals(json("-1"), j("min", "[-1,3,2]"));
        assertEquals(json("[null,false,1,\"a\",[1]]"), j("sort", "[[1],\"a\",1,false,null]"));
        assertEquals(json("1E+20").toString(), j("sum", "[99999999999999999999, 1]").toString());
        fails("sum", "[1,\"a\"]");
        fails("max", "[]");
    }

    @Test
    void arrays() throws Exception {
        assertEquals(json("[1,2,3]"), j("array.concat", "[1]", "[2,3]"));
        assertEquals(json("[3,2,1]"), j("array.reverse", "[1,2,3]"));
        assertEquals(json("[2,3]"), j("array.slice", "[1,2,3,4]", "1", "3"));
        assertEquals(json("[1,2,3,4]"), j("array.slice", "[1,2,3,4]", "-5", "9"));
        assertEquals(json("[]"), j("array.slice", "[1,2,3,4]", "3", "1"));
        fails("array.slice", "[5]", "1.1", "2");
    }

    @Test
    void unionAndIntersectionOfSets() throws Exception {
        Value sets = SetValue.of(SetValue.of(Value.num(1), Value.num(2)), SetValue.of(Value.num(2), Value.num(3)));
        assertEquals(SetValue.of(Value.num(1), Value.num(2), Value.num(3)), call("union", sets));
        assertEquals(SetValue.of(Value.num(2)), call("intersection", sets));
        assertEquals(SetValue.EMPTY, call("intersection", SetValue.EMPTY));
    }
}
