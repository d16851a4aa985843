package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SemverTest {
    @Test
    void validityAndPrecedence() throws Exception {
        assertEquals(json("true"), j("semver.is_valid", "\"1.0.0-alpha.1+build.5\""));
        assertEquals(json("false"), j("semver.is_valid", "\"1.0\""));
        assertEquals(json("false"), j("semver.is_valid", "\"01.0.0\""));
        fails("semver.is_valid", "1");
        assertEquals(json("-1"), j("semver.compare", "\"1.0.0-alpha\"", "\"1.0.0-alpha.1\""));
        assertEquals(json("-1"), j("semver.compare", "\"1.0.0-alpha.beta\"", "\"1.0.0-beta\""));
        assertEquals(json("-1"), j("semver.compare", "\"1.0.0-rc.1\"", "\"1.0.0\""));
        assertEquals(json("1"), j("semver.compare", "\"1.10.0\"", "\"1.9.0\""));
        assertEquals(json("0"), j("semver.compare", "\"1.0.0+a\"", "\"1.0.0+b\""));
        fails("semver.compare", "\"1.0\"", "\"1.0.0\"");
    }
}
