package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HashesTest {
    @Test
    void digestsOfKnownVectors() throws Exception {
        assertEquals(json("\"900150983cd24fb0d6963f7d28e17f72\""), j("crypto.md5", "\"abc\""));
        assertEquals(json("\"a9993e364706816aba3e25717850c26c9cd0d89d\""), j("crypto.sha1", "\"abc\""));
        assertEquals(json("\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\""), j("crypto.sha256", "\"abc\""));
    }
}
