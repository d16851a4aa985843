package io.katacc.policy.builtin.lib;

import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.Value;
import org.junit.jupiter.api.Test;

import static io.katacc.policy.builtin.lib.Call.fails;
import static io.katacc.policy.builtin.lib.Call.j;
import static io.katacc.policy.builtin.lib.Call.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NetTest {
    @Test
    void containsAndIntersects() throws Exception {
        assertEquals(json("true"), j("net.cidr_contains", "\"127.0.0.0/8\"", "\"127.0.0.1\""));
        assertEquals(json("true"), j("net.cidr_contains", "\"10.0.0.0/8\"", "\"10.1.0.0/16\""));
        assertEquals(json("false"), j("net.cidr_contains", "\"10.0.0.0/16\"", "\"10.0.0.0/8\""));
        assertEquals(json("true"), j("net.cidr_contains", "\"2001:4860:4860::8888/32\"", "\"2001:4860:4860:1234::8888\""));
        assertEquals(json("false"), j("net.cidr_contains", "\"10.0.0.0/8\"", "\"::1\""));
        assertEquals(json("true"), j("net.cidr_intersects", "\"192.168.0.0/16\"", "\"192.168.1.0/24\""));
        assertEquals(json("false"), j("net.cidr_intersects", "\"192.168.0.0/24\"", "\"192.168.1.0/24\""));
        fails("net.cidr_contains", "\"example.com/8\"", "\"10.0.0.1\"");
        fails("net.cidr_contains", "\"10.0.0.0/33\"", "\"10.0.0.1\"");
    }

    @Test
    void validityAndExpansion() throws Exception {
        assertEquals(json("true"), j("net.cidr_is_valid", "\"10.0.0.0/8\""));
        assertEquals(json("false"), j("net.cidr_is_valid", "\"10.0.0.0\""));
        assertEquals(json("false"), j("net.cidr_is_valid", "\"256.0.0.0/8\""));
        assertEquals(SetValue.of(Value.str("192.168.0.0"), Value.str("192.168.0.1"), Value.str("192.168.0.2"), Value.str("192.168.0.3")),
                j("net.cidr_expand", "\"192.168.0.1/30\""));
        fails("net.cidr_expand", "\"10.0.0.0/8\"");
    }
}
