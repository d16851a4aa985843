package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.Value;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * io.jwt.decode and the HMAC verifiers (HS256/384/512). Asymmetric verification (RS*, ES*, PS*) and
 * io.jwt.decode_verify are not implemented: they fail with a clear error instead of being absent.
 */
final class Jwt {
    private Jwt() {}

    static void registerAll(BuiltinRegistry r) {
        r.register("io.jwt.decode", 1, (c, a) -> {
            String[] p = parts("io.jwt.decode", Args.str("io.jwt.decode", a, 0));
            return new ArrayValue(List.of(json("io.jwt.decode", p[0]), json("io.jwt.decode", p[1]),
                    Value.str(HexFormat.of().formatHex(b64("io.jwt.decode", p[2])))));
        });
        hs(r, "io.jwt.verify_hs256", "HmacSHA256");
        hs(r, "io.jwt.verify_hs384", "HmacSHA384");
        hs(r, "io.jwt.verify_hs512", "HmacSHA512");
        for (String alg : new String[]{"rs256", "rs384", "rs512", "ps256", "ps384", "ps512", "es256", "es384", "es512", "eddsa"}) {
            String name = "io.jwt.verify_" + alg;
            r.register(name, 2, (c, a) -> {
                throw new BuiltinError(name + " is not supported by this engine (only HS256/384/512 are)");
            });
        }
    }

    private static void hs(BuiltinRegistry r, String name, String algorithm) {
        r.register(name, 2, (c, a) -> {
            String token = Args.str(name, a, 0);
            String[] p = parts(name, token);
            byte[] sig = b64(name, p[2]);
            try {
                Mac m = Mac.getInstance(algorithm);
                byte[] key = Args.str(name, a, 1).getBytes(StandardCharsets.UTF_8);
                m.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
                byte[] want = m.doFinal((p[0] + "." + p[1]).getBytes(StandardCharsets.US_ASCII));
                return Value.bool(MessageDigest.isEqual(want, sig));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " is required by the Java platform", e);
            }
        });
    }

    private static String[] parts(String fn, String token) throws BuiltinError {
        String[] p = token.split("\\.", -1);
        if (p.length != 3) throw new BuiltinError(fn + ": encoded JWT must have 3 sections, found " + p.length);
        return p;
    }

    private static byte[] b64(String fn, String s) throws BuiltinError {
        byte[] b = Encoding.base64Decode(s, true);
        if (b == null) throw new BuiltinError(fn + ": JWT section is not valid base64url");
        return b;
    }

    private static Value json(String fn, String section) throws BuiltinError {
        Value v = Encoding.parseJson(fn, new String(b64(fn, section), StandardCharsets.UTF_8));
        if (!(v instanceof ObjectValue)) throw new BuiltinError(fn + ": JWT header and payload must be JSON objects");
        return v;
    }

    static String sign(String headerPayload, String secret) throws GeneralSecurityException {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal(headerPayload.getBytes(StandardCharsets.US_ASCII)));
    }
}
