package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.Value;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** crypto.* digests of a string's UTF-8 bytes, as lowercase hex. */
final class Hashes {
    private Hashes() {}

    static void registerAll(BuiltinRegistry r) {
        digest(r, "crypto.md5", "MD5");
        digest(r, "crypto.sha1", "SHA-1");
        digest(r, "crypto.sha256", "SHA-256");
        digest(r, "crypto.sha512", "SHA-512");
    }

    private static void digest(BuiltinRegistry r, String name, String algorithm) {
        r.register(name, 1, (c, a) -> {
            try {
                byte[] d = MessageDigest.getInstance(algorithm).digest(Args.str(name, a, 0).getBytes(StandardCharsets.UTF_8));
                return Value.str(HexFormat.of().formatHex(d));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " is required by the Java platform", e);
            }
        });
    }
}
