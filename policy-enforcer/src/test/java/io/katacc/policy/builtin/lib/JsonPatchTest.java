package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.Value;
import org.junit.jupiter.api.Test;

import static io.katacc.policy.eval.LanguageTestAccess.json;
import static org.junit.jupiter.api.Assertions.*;

class JsonPatchTest {
    @Test
    void appliesRfc6902Operations() throws BuiltinError {
        String doc = "{\"a\":{\"b\":[1,2]},\"c\":1}";
        String ops = """
                [{"op":"add","path":"/a/b/-","value":3},{"op":"add","path":"/a/b/0","value":0},
                 {"op":"remove","path":"/c"},{"op":"replace","path":"/a/x","value":"y"},
                 {"op":"copy","from":"/a/x","path":"/d"},{"op":"move","from":"/d","path":"/e~1f"},
                 {"op":"test","path":"/e~1f","value":"y"}]""";
        assertThrows(BuiltinError.class, () -> JsonPatch.apply(json(doc), ops(ops)), "replace of missing path fails");
        String ok = ops.replace("{\"op\":\"replace\",\"path\":\"/a/x\",\"value\":\"y\"}", "{\"op\":\"add\",\"path\":\"/a/x\",\"value\":\"y\"}");
        assertEquals("{\"a\":{\"b\":[0,1,2,3],\"x\":\"y\"},\"e/f\":\"y\"}", JsonPatch.apply(json(doc), ops(ok)).toJson());
    }

    @Test
    void rejectsBadOperations() {
        assertThrows(BuiltinError.class, () -> JsonPatch.apply(json("{}"), ops("[{\"op\":\"frob\",\"path\":\"/a\"}]")));
        assertThrows(BuiltinError.class, () -> JsonPatch.apply(json("{}"), ops("[{\"op\":\"test\",\"path\":\"/a\",\"value\":1}]")));
        assertThrows(BuiltinError.class, () -> JsonPatch.apply(json("[1]"), ops("[{\"op\":\"remove\",\"path\":\"/5\"}]")));
    }

    private static ArrayValue ops(String json) {
        Value v = json(json);
        return assertInstanceOf(ArrayValue.class, v, "a patch is an array");
    }
}
