package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class JwtTest {
    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodeAndVerifyHs256() throws Exception {
        String hp = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":1516239022}");
        String token = hp + "." + Jwt.sign(hp, "your-256-bit-secret");
        // The token of jwt.io's HS256 example.
        assertEquals("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
                + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", token);
        var decoded = j("io.jwt.decode", "\"" + token + "\"");
        assertEquals(json("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"), ((io.katacc.policy.value.ArrayValue) decoded).get(0));
        assertEquals(json("{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":1516239022}"), ((io.katacc.policy.value.ArrayValue) decoded).get(1));
        assertEquals(json("\"49f94ac7044948c78a285d904f87f0a4c7897f7e8f3a4eb2255fda750b2cc397\""), ((io.katacc.policy.value.ArrayValue) decoded).get(2));
        assertEquals(json("true"), j("io.jwt.verify_hs256", "\"" + token + "\"", "\"your-256-bit-secret\""));
        assertEquals(json("false"), j("io.jwt.verify_hs256", "\"" + token + "\"", "\"wrong\""));
        fails("io.jwt.decode", "\"a.b\"");
        fails("io.jwt.verify_rs256", "\"" + token + "\"", "\"key\"");
    }
}
