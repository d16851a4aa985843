package io.katacc.policy.value;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ValueTest {
    @Test
    void numbersCompareByValueNotScale() {
        assertEquals(NumberValue.parse("1.0"), NumberValue.of(1));
        assertEquals(NumberValue.parse("1.0").hashCode(), NumberValue.of(1).hashCode());
        assertEquals("1", NumberValue.parse("1.000").toString());
        assertEquals("1.5", NumberValue.parse("15e-1").toString());
        assertEquals("100", NumberValue.parse("1e2").toString());
        assertEquals("18446744073709551617", NumberValue.parse("18446744073709551617").toString());
    }

    @Test
    void orderFollowsTypeThenContent() {
        List<Value> sorted = List.of(Value.NULL, Value.FALSE, Value.TRUE, Value.num(-1), Value.num(2), Value.str("a"),
                ArrayValue.of(Value.num(1)), SetValue.of(Value.num(1)), ObjectValue.EMPTY);
        for (int i = 0; i + 1 < sorted.size(); i++) {
            assertTrue(sorted.get(i).compareTo(sorted.get(i + 1)) < 0, sorted.get(i) + " < " + sorted.get(i + 1));
        }
        assertEquals(SetValue.of(Value.num(2), Value.num(1)), SetValue.of(Value.num(1), Value.num(2)));
    }

    @Test
    void displayMatchesRegorusPrint() {
        Value v = ArrayValue.of(ObjectValue.EMPTY.with(Value.num(1), Value.num(2)), SetValue.of(Value.num(2), Value.num(1)));
        assertEquals("[{1: 2}, {1, 2}]", ValueFormat.display(v));
        assertEquals("hello\nworld", ValueFormat.display(Value.str("hello\nworld")));
        assertEquals("[\"a\\nb\"]", ValueFormat.display(ArrayValue.of(Value.str("a\nb"))));
    }

    @Test
    void jsonRoundTripKeepsBigNumbers() throws Exception {
        ObjectMapper m = new ObjectMapper();
        String text = "{\"b\":[1,2.5,null,true],\"a\":123456789012345678901234567890}";
        Value v = ValueJson.fromJson(m.readTree(text));
        assertEquals("{\"a\":123456789012345678901234567890,\"b\":[1,2.5,null,true]}", v.toJson());
        assertEquals(v, ValueJson.fromJson(ValueJson.toJson(v)));
    }
}
