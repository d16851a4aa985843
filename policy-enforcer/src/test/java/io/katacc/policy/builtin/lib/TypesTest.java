package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TypesTest {
    @Test
    void predicatesAndNames() throws Exception {
        assertEquals(json("true"), j("is_null", "null"));
        assertEquals(json("false"), j("is_null", "0"));
        assertEquals(json("true"), j("is_string", "\"\""));
        assertEquals(json("false"), j("is_array", "{}"));
        assertEquals(json("true"), j("is_object", "{}"));
        assertEquals(json("\"boolean\""), j("type_name", "false"));
        assertEquals(json("\"number\""), j("type_name", "1.5"));
        assertEquals(json("\"array\""), j("type_name", "[]"));
    }
}
