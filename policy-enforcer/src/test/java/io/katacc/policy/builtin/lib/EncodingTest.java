package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EncodingTest {
    @Test
    void base64RequiresPadding() throws Exception {
        assertEquals(json("\"aGVsbG8=\""), j("base64.encode", "\"hello\""));
        assertEquals(json("\"hello\""), j("base64.decode", "\"aGVsbG8=\""));
        assertEquals(json("true"), j("base64.is_valid", "\"aGVsbG8=\""));
        // Kata's policies rely on this: "devpts" decodes leniently but is not valid padded base64.
        assertEquals(json("false"), j("base64.is_valid", "\"devpts\""));
        assertEquals(json("false"), j("base64.is_valid", "\"a$==\""));
        fails("base64.decode", "\"aGVsbG8\"");
    }

    @Test
    void base64urlPadsAndDecodesBothForms() throws Exception {
        assertEquals(json("\"Pz8_\""), j("base64url.encode", "\"???\""));
        assertEquals(json("\"aGk=\""), j("base64url.encode", "\"hi\""));
        assertEquals(json("\"aGk\""), j("base64url.encode_no_pad", "\"hi\""));
        assertEquals(json("\"hi\""), j("base64url.decode", "\"aGk\""));
        assertEquals(json("\"hi\""), j("base64url.decode", "\"aGk=\""));
        assertEquals(json("\"???\""), j("base64url.decode", "\"Pz8_\""));
    }

    @Test
    void hex() throws Exception {
        assertEquals(json("\"6869\""), j("hex.encode", "\"hi\""));
        assertEquals(json("\"hi\""), j("hex.decode", "\"6869\""));
        fails("hex.decode", "\"6g\"");
        fails("hex.decode", "\"ff\""); // not UTF-8
    }

    @Test
    void jsonRoundTripKeepsPrecision() throws Exception {
        assertEquals(json("\"{\\\"a\\\":[1,2.5,\\\"x\\\"],\\\"b\\\":null}\""), j("json.marshal", "{\"b\":null,\"a\":[1,2.5,\"x\"]}"));
        assertEquals(json("{\"n\":12345678901234567890123}"), j("json.unmarshal", "\"{\\\"n\\\":12345678901234567890123}\""));
        assertEquals(json("true"), j("json.is_valid", "\"[1,2]\""));
        assertEquals(json("false"), j("json.is_valid", "\"[1,2\""));
        assertEquals(json("false"), j("json.is_valid", "\"{} {}\""));
        fails("json.unmarshal", "\"{\\\"a\\\":\"");
    }

    @Test
    void yaml() throws Exception {
        assertEquals(json("{\"a\":[1,\"x\"],\"b\":{\"c\":true}}"), j("yaml.unmarshal", "\"a: [1, x]\\nb:\\n  c: true\\n\""));
        assertEquals(json("\"a: 1\\nb:\\n- x\\n\""), j("yaml.marshal", "{\"a\":1,\"b\":[\"x\"]}"));
        assertEquals(json("{\"a\":1}"), j("yaml.unmarshal", j("yaml.marshal", "{\"a\":1}").toJson()));
        assertEquals(json("false"), j("yaml.is_valid", "\"a: [1\""));
    }

    @Test
    void urlquery() throws Exception {
        assertEquals(json("\"a+b%3Dc%26d%2F~\""), j("urlquery.encode", "\"a b=c&d/~\""));
        assertEquals(json("\"a b=c\""), j("urlquery.decode", "\"a+b%3Dc\""));
        assertEquals(json("\"a=1&a=2&b=x+y\""), j("urlquery.encode_object", "{\"b\":\"x y\",\"a\":[\"1\",\"2\"]}"));
        assertEquals(json("{\"a\":[\"1\",\"2\"],\"b\":[\"x y\"]}"), j("urlquery.decode_object", "\"a=1&b=x+y&a=2\""));
    }

    @Test
    void marshalWithOptionsIndentsLikeGo() throws Exception {
        assertEquals(json("\"{\\n\\t\\\"a\\\": [\\n\\t\\t1,\\n\\t\\t2\\n\\t],\\n\\t\\\"b\\\": {}\\n}\""),
                j("json.marshal_with_options", "{\"a\":[1,2],\"b\":{}}", "{\"pretty\":true}"));
        assertEquals(json("\"[\\n>  1\\n>]\""), j("json.marshal_with_options", "[1]", "{\"indent\":\"  \",\"prefix\":\">\"}"));
        assertEquals(json("\"[1]\""), j("json.marshal_with_options", "[1]", "{\"pretty\":false}"));
        fails("json.marshal_with_options", "[1]", "{\"bogus\":1}");
    }
}
