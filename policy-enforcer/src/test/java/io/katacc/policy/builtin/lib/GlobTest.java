package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Examples from OPA's policy reference for glob.match. */
class GlobTest {
    private static void match(boolean want, String pattern, String delims, String s) throws Exception {
        assertEquals(json(Boolean.toString(want)), j("glob.match", "\"" + pattern + "\"", delims, "\"" + s + "\""),
                pattern + " " + delims + " " + s);
    }

    @Test
    void opaReferenceExamples() throws Exception {
        match(true, "*.github.com", "[]", "api.github.com");
        match(false, "*.github.com", "[]", "api.cdn.github.com");
        match(true, "*hub.com", "null", "api.cdn.github.com");
        match(true, "*:github:com", "[\":\"]", "api:github:com");
        match(true, "api.**.com", "[]", "api.cdn.github.com");
        match(true, "?at", "[]", "cat");
        match(false, "?at", "[]", "at");
        match(true, "[abc]at", "[]", "bat");
        match(false, "[!abc]at", "[]", "cat");
        match(true, "[!a-c]at", "[]", "lat");
        match(true, "{cat,bat,[fr]at}", "[]", "rat");
        match(false, "{cat,bat,[fr]at}", "[]", "at");
        match(true, "a\\\\*b", "[]", "a*b");
        match(false, "a\\\\*b", "[]", "axb");
    }

    @Test
    void malformedPatternsFail() {
        fails("glob.match", "\"[ab\"", "[]", "\"a\"");
        fails("glob.match", "\"{a,b\"", "[]", "\"a\"");
    }
}
