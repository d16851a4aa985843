package io.katacc.policy.builtin.lib;

import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.Value;
import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.j;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GraphsTest {
    @Test
    void reachableFollowsEdgesAndIgnoresUnknownVertices() throws Exception {
        String g = "{\"a\":[\"b\"],\"b\":[\"c\"],\"c\":[\"a\"],\"d\":[\"e\"],\"e\":[]}";
        assertEquals(SetValue.of(Value.str("a"), Value.str("b"), Value.str("c")), j("graph.reachable", g, "[\"a\"]"));
        assertEquals(SetValue.of(Value.str("d"), Value.str("e")), j("graph.reachable", g, "[\"d\",\"zz\"]"));
    }
}
