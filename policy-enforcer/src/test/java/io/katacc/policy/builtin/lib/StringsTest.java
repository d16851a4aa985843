package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StringsTest {
    @Test
    void concatSplitReplaceAreLiteral() throws Exception {
        assertEquals(json("\"a/b/c\""), j("concat", "\"/\"", "[\"a\",\"b\",\"c\"]"));
        assertEquals(json("[\"a\",\"b\",\"\",\"c\"]"), j("split", "\"a.b..c\"", "\".\""));
        assertEquals(json("[\"a*b\"]"), j("split", "\"a*b\"", "\".*\""));
        assertEquals(json("[\"\"]"), j("split", "\"\"", "\",\""));
        assertEquals(json("[\"h\",\"é\"]"), j("split", "\"hé\"", "\"\""));
        assertEquals(json("\"x.y\""), j("replace", "\"x*y\"", "\"*\"", "\".\""));
        assertEquals(json("\"-a-b-\""), j("replace", "\"ab\"", "\"\"", "\"-\""));
        fails("concat", "\"/\"", "[\"a\",1]");
        fails("split", "1", "\",\"");
    }

    @Test
    void prefixesAndContainment() throws Exception {
        assertEquals(json("true"), j("startswith", "\"/run/k\"", "\"/run\""));
        assertEquals(json("false"), j("endswith", "\"abc\"", "\"b\""));
        assertEquals(json("true"), j("contains", "\"abc\"", "\"b\""));
        assertEquals(json("true"), j("strings.any_prefix_match", "[\"foo\",\"bar\"]", "\"ba\""));
        assertEquals(json("false"), j("strings.any_prefix_match", "\"foo\"", "[\"x\",\"y\"]"));
        assertEquals(json("true"), j("strings.any_suffix_match", "\"foo.bar\"", "[\".bar\"]"));
    }

    @Test
    void trimFamilyUsesCutsets() throws Exception {
        // Go's strings.TrimLeft takes a cutset, not a prefix.
        assertEquals(json("\"ain\""), j("trim_left", "\"bbbain\"", "\"b\""));
        assertEquals(json("\"in\""), j("trim_left", "\"abain\"", "\"ab\""));
        assertEquals(json("\"/a/b\""), j("trim_right", "\"/a/b///\"", "\"/\""));
        assertEquals(json("\"Hello, World\""), j("trim", "\"  Hello, World!!! \"", "\"! \""));
        assertEquals(json("\"World\""), j("trim_prefix", "\"HelloWorld\"", "\"Hello\""));
        assertEquals(json("\"Hello\""), j("trim_suffix", "\"HelloWorld\"", "\"World\""));
        assertEquals(json("\"x y\""), j("trim_space", "\"\\t x y\\n \""));
    }

    @Test
    void indexesCountCodePoints() throws Exception {
        assertEquals(json("2"), j("indexof", "\"Hello world\"", "\"llo\""));
        assertEquals(json("1"), j("indexof", "\"μx\"", "\"x\""));
        assertEquals(json("-1"), j("indexof", "\"abc\"", "\"z\""));
        assertEquals(json("[2,3,9]"), j("indexof_n", "\"Hello world\"", "\"l\""));
        assertEquals(json("[0,1]"), j("indexof_n", "\"aaa\"", "\"aa\""));
        fails("indexof_n", "\"aaa\"", "\"\"");
        assertEquals(json("\"llo\""), j("substring", "\"Hello\"", "2", "-1"));
        assertEquals(json("\"ell\""), j("substring", "\"Hello\"", "1", "3"));
        assertEquals(json("\"\""), j("substring", "\"Hello\"", "9", "3"));
        assertEquals(json("\"xé\""), j("substring", "\"axéb\"", "1", "2"));
        fails("substring", "\"Hello\"", "-1", "1");
        assertEquals(json("3"), j("strings.count", "\"cheese\"", "\"e\""));
    }

    @Test
    void replaceNReverseCase() throws Exception {
        assertEquals(json("\"This is a TEST\""),
                j("strings.replace_n", "{\"test\":\"TEST\"}", "\"This is a test\""));
        assertEquals(json("\"b a\""), j("strings.replace_n", "{\"a\":\"b\",\"b\":\"a\"}", "\"a b\""));
        assertEquals(json("\"cba\""), j("strings.reverse", "\"abc\""));
        assertEquals(json("\"ABC\""), j("upper", "\"aBc\""));
        assertEquals(json("\"abc\""), j("lower", "\"aBc\""));
    }

    @Test
    void formatInt() throws Exception {
        assertEquals(json("\"ff\""), j("format_int", "255", "16"));
        assertEquals(json("\"1111\""), j("format_int", "15", "2"));
        assertEquals(json("\"-10\""), j("format_int", "-10.7", "10"));
        assertEquals(json("\"12345678901234567890\""), j("format_int", "12345678901234567890", "10"));
        fails("format_int", "1", "3");
    }

    @Test
    void sprintfFollowsGoFmt() throws Exception {
        assertEquals(json("\"User alice has 3\""), j("sprintf", "\"User %s has %d\"", "[\"alice\",3]"));
        assertEquals(json("\"   42|42   |00042\""), j("sprintf", "\"%5d|%-5d|%05d\"", "[42,42,42]"));
        assertEquals(json("\"3.14|3.141590|1.500000e+00\""), j("sprintf", "\"%.2f|%f|%e\"", "[3.14159,3.14159,1.5]"));
        assertEquals(json("\"ff FF 100 1111 0xff\""), j("sprintf", "\"%x %X %o %b %#x\"", "[255,255,64,15,255]"));
        assertEquals(json("\"1.5 2 1e-07\""), j("sprintf", "\"%v %v %v\"", "[1.5,2,1e-7]"));
        assertEquals(json("\"1.2345675e+06 123456.5 1.23e+03 000ab\""),
                j("sprintf", "\"%v %v %.3g %05s\"", "[1234567.5,123456.5,1234.5,\"ab\"]"));
        assertEquals(json("\"[\\\"a\\\", 1] {\\\"k\\\": true} \\\"q\\\" 100%\""),
                j("sprintf", "\"%v %v %q 100%%\"", "[[\"a\",1],{\"k\":true},\"q\"]"));
        assertEquals(json("\"x %!(EXTRA string=y)\""), j("sprintf", "\"x \"", "[\"y\"]"));
        assertEquals(json("\"%!d(string=s)\""), j("sprintf", "\"%d\"", "[\"s\"]"));
        fails("sprintf", "\"%s %d\"", "[\"only\"]");
    }
}
