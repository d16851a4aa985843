package io.katacc.policy.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.policy.parse.SyntaxError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AgentPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void booleanDecisionsAndDenyMessage() throws Exception {
        AgentPolicy p = new AgentPolicy("p.rego", """
                package agent_policy
                default ExecProcessRequest := false
                ExecProcessRequest { print("checking", input.id); input.id == "ok" }
                """);
        assertTrue(p.check("ExecProcessRequest", JSON.readTree("{\"id\":\"ok\"}")).allowed());
        Decision d = p.check("ExecProcessRequest", JSON.readTree("{\"id\":\"bad\"}"));
        assertFalse(d.allowed());
        assertEquals("ExecProcessRequest is blocked by policy: p.rego:3: checking bad", d.denyMessage());
        assertFalse(p.check("UnknownRequest", JSON.readTree("{}")).allowed(), "undefined entry denies");
        assertThrows(IllegalArgumentException.class, () -> p.check("a.b", JSON.readTree("{}")));
    }

    @Test
    void stateUpdatesApplyOnlyWhenAllowed() throws Exception {
        AgentPolicy p = new AgentPolicy("p.rego", """
                package agent_policy
                CreateContainerRequest := {"allowed": true, "ops": [{"op": "add", "path": "/seen", "value": input.id}]} {
                    not data.pstate.seen
                }
                CreateContainerRequest := {"allowed": false, "ops": [{"op": "add", "path": "/x", "value": 1}]} {
                    data.pstate.seen
                }
                """);
        assertTrue(p.check("CreateContainerRequest", JSON.readTree("{\"id\":\"c1\"}")).allowed());
        assertEquals("{\"seen\":\"c1\"}", p.state().toJson());
        assertFalse(p.check("CreateContainerRequest", JSON.readTree("{\"id\":\"c2\"}")).allowed());
        assertEquals("{\"seen\":\"c1\"}", p.state().toJson(), "denied request leaves state alone");
    }

    @Test
    void badStateUpdateDeniesAndKeepsState() throws Exception {
        AgentPolicy p = new AgentPolicy("p.rego", """
                package agent_policy
                CreateContainerRequest := {"allowed": true, "ops": {"op": "add"}}
                ExecProcessRequest := {"allowed": true, "ops": [{"op": "remove", "path": "/missing"}]}
                """);
        Decision notArray = p.check("CreateContainerRequest", JSON.readTree("{}"));
        assertFalse(notArray.allowed());
        assertTrue(notArray.prints().getLast().contains("ops must be an array"), notArray.prints().toString());
        Decision failing = p.check("ExecProcessRequest", JSON.readTree("{}"));
        assertFalse(failing.allowed());
        assertTrue(failing.prints().getLast().startsWith("policy state update failed:"), failing.prints().toString());
        assertEquals("{}", p.state().toJson(), "failed updates leave state alone");
    }

    @Test
    void allowRequestsFailingPolicyTurnsDenialsIntoAllowed() throws Exception {
        AgentPolicy p = new AgentPolicy("p.rego", """
                package agent_policy
                AllowRequestsFailingPolicy := true
                default ExecProcessRequest := false
                """);
        Decision d = p.check("ExecProcessRequest", JSON.readTree("{}"));
        assertTrue(d.allowed());
        assertFalse(d.policyAllowed());
        assertTrue(p.allowsFailingRequests());
    }

    @Test
    void setPolicyReplacesAndBadPolicyKeepsOld() throws Exception {
        AgentPolicy p = AgentPolicy.defaultPolicy();
        assertTrue(p.check("CreateContainerRequest", JSON.readTree("{}")).allowed());
        assertTrue(p.check("SetPolicyRequest", JSON.readTree("{}")).allowed());
        assertThrows(SyntaxError.class, () -> p.setPolicy("bad.rego", "package agent_policy\nx := [\n"));
        assertTrue(p.check("CreateContainerRequest", JSON.readTree("{}")).allowed(), "failed SetPolicy keeps the old policy");
        p.setPolicy("new.rego", "package agent_policy\ndefault CreateContainerRequest := false\n");
        assertFalse(p.check("CreateContainerRequest", JSON.readTree("{}")).allowed());
    }
}
