package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RegexTest {
    @Test
    void matchIsAnUnanchoredSearch() throws Exception {
        assertEquals(json("true"), j("regex.match", "\"b+\"", "\"abbbc\""));
        assertEquals(json("false"), j("regex.match", "\"^b+$\"", "\"abbbc\""));
        assertEquals(json("true"), j("regex.match", "\"^[a-z0-9]{64}$\"", "\"" + "a".repeat(64) + "\""));
        fails("regex.match", "\"(\"", "\"x\"");
    }

    @Test
    void re2RejectsBackreferencesAndLookaround() throws Exception {
        assertEquals(json("false"), j("regex.is_valid", "\"(a)\\\\1\""));
        assertEquals(json("false"), j("regex.is_valid", "\"a(?=b)\""));
        assertEquals(json("true"), j("regex.is_valid", "\"[a-z]+\""));
        assertEquals(json("false"), j("regex.is_valid", "1"));
    }

    @Test
    void findAndSplitFollowGo() throws Exception {
        assertEquals(json("[\"ar\",\"an\",\"al\"]"), j("regex.find_n", "\"a.\"", "\"paranormal\"", "-1"));
        assertEquals(json("[\"ar\",\"an\"]"), j("regex.find_n", "\"a.\"", "\"paranormal\"", "2"));
        assertEquals(json("[\"b\",\"n\",\"n\",\"\"]"), j("regex.split", "\"a\"", "\"banana\""));
        assertEquals(json("[\"\",\"b\",\"b\",\"c\",\"c\",\"d\",\"e\"]"), j("regex.split", "\"a*\"", "\"abaabaccadaaae\""));
        assertEquals(json("[\"\",\"\"]"), j("regex.split", "\"z+\"", "\"zzz\""));
        assertEquals(json("[[\"axxb\",\"xx\"],[\"ab\",\"\"]]"),
                j("regex.find_all_string_submatch_n", "\"a(x*)b\"", "\"-axxb-ab-\"", "-1"));
    }

    @Test
    void replaceExpandsGroups() throws Exception {
        assertEquals(json("\"bar-foo\""), j("regex.replace", "\"foo-bar\"", "\"(\\\\w+)-(\\\\w+)\"", "\"$2-$1\""));
        assertEquals(json("\"a_b_c\""), j("regex.replace", "\"a.b.c\"", "\"[.]\"", "\"_\""));
        // Go's Expand: ${1}, $$ and named groups; "$2x" names group "2x", which does not exist.
        assertEquals(json("\"bar_foo $ \""), j("regex.replace", "\"foo-bar\"", "\"(\\\\w+)-(\\\\w+)\"", "\"${2}_$1 $$ $2x\""));
        assertEquals(json("\"v=1\""), j("regex.replace", "\"1\"", "\"(?P<n>\\\\d)\"", "\"v=$n\""));
        assertEquals(json("\"-a-b-\""), j("regex.replace", "\"ab\"", "\"\"", "\"-\""));
    }

    @Test
    void templateMatch() throws Exception {
        assertEquals(json("true"), j("regex.template_match", "\"urn:foo:{.*}\"", "\"urn:foo:bar:baz\"", "\"{\"", "\"}\""));
        assertEquals(json("false"), j("regex.template_match", "\"urn:foo.bar.com:{.*}\"", "\"urn:foo.com:bar:baz\"", "\"{\"", "\"}\""));
        assertEquals(json("true"), j("regex.template_match", "\"id-<[0-9]{2}>\"", "\"id-42\"", "\"<\"", "\">\""));
        assertEquals(json("false"), j("regex.template_match", "\"id-<[0-9]{2}>\"", "\"xid-42\"", "\"<\"", "\">\""));
        fails("regex.template_match", "\"a{b\"", "\"ab\"", "\"{\"", "\"}\"");
    }
}
