package io.katacc.shim.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class PolicyResolverTest {
    @Test
    void annotationWinsAndHostDataIsSha256OfTheText(@TempDir Path dir) throws Exception {
        Path dflt = Files.writeString(dir.resolve("default.rego"), "package agent_policy\ndefault x := true\n");
        var r = new PolicyResolver(Optional.of(dflt));
        // "abc" has the FIPS 180-2 test vector digest
        PolicyDocument p = r.resolve(Map.of(PolicyResolver.ANNOTATION,
                Base64.getEncoder().encodeToString("abc".getBytes(StandardCharsets.UTF_8))));
        assertEquals("abc", p.text());
        assertEquals(PolicyDocument.Source.ANNOTATION, p.source());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", p.hostDataHex());
        assertEquals(32, p.hostData().length);

        PolicyDocument d = r.resolve(Map.of());
        assertEquals(PolicyDocument.Source.DEFAULT, d.source());
        assertEquals("package agent_policy\ndefault x := true\n", d.text());
    }

    @Test
    void badInputIsRejectedClearly() {
        var r = new PolicyResolver(Optional.empty());
        var e = assertThrows(IllegalArgumentException.class, () -> r.resolve(Map.of(PolicyResolver.ANNOTATION, "not base64!")));
        assertTrue(e.getMessage().startsWith("annotation io.katacontainers.config.agent.policy is not valid base64"));
        var notUtf8 = Base64.getEncoder().encodeToString(new byte[]{(byte) 0xff, (byte) 0xfe});
        assertEquals("annotation io.katacontainers.config.agent.policy does not decode to UTF-8 text",
                assertThrows(IllegalArgumentException.class, () -> r.resolve(Map.of(PolicyResolver.ANNOTATION, notUtf8))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.resolve(Map.of())).getMessage()
                .contains("sets no default_policy"));
    }
}
