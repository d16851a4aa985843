package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Examples from OPA's policy reference for json.filter and json.remove. */
class JsonPathsTest {
    private static final String OBJ = "{\"a\":5,\"b\":{\"c\":{\"d\":6},\"d\":7},\"c\":8}";

    @Test
    void filter() throws Exception {
        assertEquals(json("{\"a\":5,\"b\":{\"c\":{\"d\":6}}}"), j("json.filter", OBJ, "[\"a\",\"b/c\"]"));
        assertEquals(json("{\"b\":{\"d\":7},\"c\":8}"), j("json.filter", OBJ, "[\"c\",[\"b\",\"d\"]]"));
        assertEquals(json("{\"b\":{\"c\":{\"d\":6},\"d\":7}}"), j("json.filter", OBJ, "[\"b\",\"b/c\"]"));
        assertEquals(json("{\"a\":[[[8,9],2]]}"),
                j("json.filter", "{\"a\":[[1,[7,8,9],2],{\"a\":1}]}", "[\"a/0/1/2\",[\"a\",\"0\",\"2\"],\"a/0/1/1\"]"));
        assertEquals(json("{\"a\":[]}"), j("json.filter", "{\"a\":[[1],{\"a\":1}]}", "[[\"a\",1]]"));
    }

    @Test
    void remove() throws Exception {
        assertEquals(json("{\"b\":{\"d\":7},\"c\":8}"), j("json.remove", OBJ, "[\"a\",\"b/c\"]"));
        assertEquals(json("{\"a\":[1,3]}"), j("json.remove", "{\"a\":[1,2,3]}", "[\"a/1\"]"));
    }
}
