package io.katacc.policy.builtin.lib;

import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UuidsTest {
    @Test
    void timeBasedFields() throws Exception {
        assertEquals(json("{\"clocksequence\":555,\"macvariables\":\"local:unicast\",\"nodeid\":\"7a-b0-b9-e5-e0-c0\","
                        + "\"time\":1703282931110717000,\"variant\":\"RFC4122\",\"version\":1}"),
                j("uuid.parse", "\"b01d0062-a116-11ee-822b-7ab0b9e5e0c0\""));
        assertEquals(json("{\"variant\":\"RFC4122\",\"version\":7,\"time\":1645557742000000000}"),
                j("uuid.parse", "\"017F22E2-79B0-7CC3-98C4-DC0C0C07398F\""));
        assertEquals(json("{\"variant\":\"RFC4122\",\"version\":4}"), j("uuid.parse", "\"a6342df8-7801-469c-b3f3-c5317a0ebdaa\""));
        fails("uuid.parse", "\"not-valid\"");
    }
}
