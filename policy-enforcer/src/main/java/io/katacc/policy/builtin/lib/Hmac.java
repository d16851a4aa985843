package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.Value;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/** crypto.hmac.*: hex HMACs of UTF-8 strings, and a constant-time comparison. */
final class Hmac {
    private Hmac() {}

    static void registerAll(BuiltinRegistry r) {
        mac(r, "crypto.hmac.md5", "HmacMD5");
        mac(r, "crypto.hmac.sha1", "HmacSHA1");
        mac(r, "crypto.hmac.sha256", "HmacSHA256");
        mac(r, "crypto.hmac.sha512", "HmacSHA512");
        r.register("crypto.hmac.equal", 2, (c, a) -> Value.bool(MessageDigest.isEqual(
                Args.str("crypto.hmac.equal", a, 0).getBytes(StandardCharsets.UTF_8),
                Args.str("crypto.hmac.equal", a, 1).getBytes(StandardCharsets.UTF_8))));
    }

    private static void mac(BuiltinRegistry r, String name, String algorithm) {
        r.register(name, 2, (c, a) -> {
            byte[] msg = Args.str(name, a, 0).getBytes(StandardCharsets.UTF_8);
            byte[] key = Args.str(name, a, 1).getBytes(StandardCharsets.UTF_8);
            try {
                Mac m = Mac.getInstance(algorithm);
                // An empty key is legal for HMAC but SecretKeySpec rejects it; a single zero byte is equivalent.
                m.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
                return Value.str(HexFormat.of().formatHex(m.doFinal(msg)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " is required by the Java platform", e);
            }
        });
    }
}
