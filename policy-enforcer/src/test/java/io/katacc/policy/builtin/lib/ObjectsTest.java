package io.katacc.policy.builtin.lib;

import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.Value;
import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ObjectsTest {
    @Test
    void keysIsASet() throws Exception {
        assertEquals(SetValue.of(Value.str("a"), Value.str("b")), j("object.keys", "{\"b\":1,\"a\":2}"));
        fails("object.keys", "[1]");
    }

    @Test
    void getWithPathAndDefault() throws Exception {
        assertEquals(json("1"), j("object.get", "{\"a\":1}", "\"a\"", "0"));
        assertEquals(json("0"), j("object.get", "{\"a\":1}", "\"b\"", "0"));
        assertEquals(json("\"y\""), j("object.get", "{\"a\":{\"b\":[\"x\",\"y\"]}}", "[\"a\",\"b\",1]", "null"));
        assertEquals(json("\"d\""), j("object.get", "{\"a\":{\"b\":1}}", "[\"a\",\"c\"]", "\"d\""));
        assertEquals(json("{\"a\":1}"), j("object.get", "{\"a\":1}", "[]", "\"d\""));
    }

    @Test
    void removeFilterUnion() throws Exception {
        assertEquals(json("{\"b\":2}"), j("object.remove", "{\"a\":1,\"b\":2}", "[\"a\",\"z\"]"));
        assertEquals(json("{\"a\":1}"), j("object.filter", "{\"a\":1,\"b\":2}", "{\"a\":0}"));
        assertEquals(json("{\"a\":{\"x\":1,\"y\":3},\"b\":2}"),
                j("object.union", "{\"a\":{\"x\":1,\"y\":2},\"b\":2}", "{\"a\":{\"y\":3}}"));
        assertEquals(json("{\"a\":3}"), j("object.union", "{\"a\":{\"x\":1}}", "{\"a\":3}"));
        assertEquals(json("{\"a\":1,\"b\":5,\"c\":3}"),
                j("object.union_n", "[{\"a\":1,\"b\":2},{\"b\":5},{\"c\":3}]"));
    }

    @Test
    void subset() throws Exception {
        assertEquals(json("true"), j("object.subset", "{\"a\":{\"b\":1,\"c\":2},\"d\":3}", "{\"a\":{\"c\":2}}"));
        assertEquals(json("false"), j("object.subset", "{\"a\":1}", "{\"a\":2}"));
        assertEquals(json("true"), j("object.subset", "[1,2,3,4]", "[2,3]"));
        assertEquals(json("false"), j("object.subset", "[1,2,3,4]", "[2,4]"));
        fails("object.subset", "1", "2");
    }

    @Test
    void jsonPatch() throws Exception {
        assertEquals(json("{\"a\":[1,2,3],\"b\":\"x\"}"), j("json.patch", "{\"a\":[1,3]}",
                "[{\"op\":\"add\",\"path\":\"/a/1\",\"value\":2},{\"op\":\"add\",\"path\":\"/b\",\"value\":\"x\"}]"));
        fails("json.patch", "{\"a\":1}", "[{\"op\":\"remove\",\"path\":\"/z\"}]");
        fails("json.patch", "[1,2]", "[{\"op\":\"remove\",\"path\":\"/01\"}]");
        fails("json.patch", "[1,2]", "[{\"op\":\"remove\",\"path\":\"/-\"}]");
        fails("json.patch", "{\"a\":{\"b\":1}}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a/c\"}]");
        fails("json.patch", "{\"a\":1}", "[{\"op\":\"remove\",\"path\":\"\"}]");
        assertEquals(json("{\"b\":2}"), j("json.patch", "{\"a\":1}",
                "[{\"op\":\"remove\",\"path\":\"\"},{\"op\":\"add\",\"path\":\"\",\"value\":{\"b\":2}}]"));
        assertEquals(json("{\"a/b\":[1,1],\"c\":1}"), j("json.patch", "{\"a/b\":[1]}",
                "[{\"op\":\"copy\",\"from\":\"/a~1b/0\",\"path\":\"/a~1b/-\"},{\"op\":\"copy\",\"from\":\"/a~1b/0\",\"path\":\"/c\"}]"));
    }

    @Test
    void jsonPatchAddressesSetMembersByValue() throws Exception {
        SetValue abc = SetValue.of(Value.str("a"), Value.str("b"), Value.str("c"));
        Value add = json("[{\"op\":\"add\",\"path\":[\"d\"],\"value\":\"d\"}]");
        assertEquals(SetValue.of(Value.str("a"), Value.str("b"), Value.str("c"), Value.str("d")), Call.call("json.patch", abc, add));
        Value rm = json("[{\"op\":\"remove\",\"path\":[\"b\"]}]");
        assertEquals(SetValue.of(Value.str("a"), Value.str("c")), Call.call("json.patch", abc, rm));
        Value member = json("{\"a\":[1]}");
        Value copy = io.katacc.policy.value.ArrayValue.of(io.katacc.policy.value.ObjectValue.of(java.util.Map.of(
                Value.str("op"), Value.str("copy"),
                Value.str("from"), io.katacc.policy.value.ArrayValue.of(member, Value.str("a"), Value.num(0)),
                Value.str("path"), io.katacc.policy.value.ArrayValue.of(member, Value.str("a"), Value.str("-")))));
        assertEquals(SetValue.of(json("{\"a\":[1,1]}")), Call.call("json.patch", SetValue.of(member), copy));
    }
}
