package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 4231 test case 2 and the well-known empty-key vector. */
class HmacTest {
    @Test
    void knownVectors() throws Exception {
        assertEquals(json("\"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843\""),
                j("crypto.hmac.sha256", "\"what do ya want for nothing?\"", "\"Jefe\""));
        assertEquals(json("\"b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad\""),
                j("crypto.hmac.sha256", "\"\"", "\"\""));
        assertEquals(json("true"), j("crypto.hmac.equal", "\"ab\"", "\"ab\""));
        assertEquals(json("false"), j("crypto.hmac.equal", "\"ab\"", "\"ac\""));
    }
}
