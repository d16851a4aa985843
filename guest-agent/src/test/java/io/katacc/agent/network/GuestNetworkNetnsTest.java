package io.katacc.agent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.agent.api.Routes;
import io.katacc.agent.api.types.ARPNeighbor;
import io.katacc.agent.api.types.IPAddress;
import io.katacc.agent.api.types.IPFamily;
import io.katacc.agent.api.types.Interface;
import io.katacc.agent.api.types.Route;
import io.katacc.agent.error.AgentException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Network updates inside a namespace the test creates; the host's own links and routes are never touched. */
class GuestNetworkNetnsTest {

    private static final String MAC = "02:42:ac:11:00:07";
    private String ns;
    private GuestNetwork net;

    @BeforeEach
    void createNetns() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create a network namespace");
        ns = "kcc-test-" + UUID.randomUUID().toString().substring(0, 8);
        assumeTrue(run("ip", "netns", "add", ns).exit == 0, "cannot create network namespace (ip netns add)");
        // a veth pair: the dummy driver is not available on every kernel (no modules here)
        assertEquals(0, run("ip", "-n", ns, "link", "add", "veth0", "address", MAC, "type", "veth",
                "peer", "name", "peer0").exit);
        assertEquals(0, run("ip", "-n", ns, "link", "set", "peer0", "up").exit);
        net = new GuestNetwork(ns);
    }

    @AfterEach
    void deleteNetns() throws Exception {
        if (ns != null) {
            run("ip", "netns", "del", ns);
        }
    }

    @Test
    void updateInterfaceFindsLinkByHwAddrAndReplacesAddressesMtuName() throws Exception {
        run("ip", "-n", ns, "addr", "add", "192.0.2.9/24", "dev", "veth0");
        Interface out = net.updateInterface(Interface.newBuilder().setHwAddr(MAC.toUpperCase()).setName("eth0")
                .setMtu(1400)
                .addIPAddresses(IPAddress.newBuilder().setFamily(IPFamily.v4).setAddress("10.244.1.7").setMask("24"))
                .build());
        assertEquals("eth0", out.getName());
        JsonNode link = ipJson("addr", "show", "dev", "eth0").get(0);
        assertEquals(1400, link.path("mtu").asInt());
        assertEquals(MAC, link.path("address").asText());
        List<String> v4 = new ArrayList<>();
        for (JsonNode a : link.path("addr_info")) {
            if (a.path("family").asText().equals("inet")) {
                v4.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt());
            }
        }
        assertEquals(List.of("10.244.1.7/24"), v4, "old address removed, new one set");
        List<String> flags = new ArrayList<>();
        link.path("flags").forEach(f -> flags.add(f.asText()));
        assertTrue(flags.contains("UP"), "link up: " + flags);
    }

    @Test
    void updateInterfaceWithUnknownHwAddrIsNotFoundAndChangesNothing() throws Exception {
        AgentException e = assertThrows(AgentException.class, () -> net.updateInterface(
                Interface.newBuilder().setHwAddr("02:00:00:00:00:99").setName("eth0").build()));
        assertEquals(AgentException.Kind.NOT_FOUND, e.kind());
        assertEquals("veth0", ipJson("link", "show", "dev", "veth0").get(0).path("ifname").asText());
        AgentException bad = assertThrows(AgentException.class, () -> net.updateInterface(Interface.newBuilder()
                .setHwAddr(MAC).addIPAddresses(IPAddress.newBuilder().setAddress("10.0.0.1").setMask("40")).build()));
        assertEquals(AgentException.Kind.INVALID_ARGUMENT, bad.kind());
    }

    @Test
    void updateRoutesReplacesTheTableAndAddArpNeighbors() throws Exception {
        run("ip", "-n", ns, "link", "set", "veth0", "up");
        run("ip", "-n", ns, "addr", "add", "10.244.1.7/24", "dev", "veth0");
        run("ip", "-n", ns, "route", "add", "198.51.100.0/24", "via", "10.244.1.254", "dev", "veth0");
        Routes out = net.updateRoutes(Routes.newBuilder()
                .addRoutes(Route.newBuilder().setGateway("10.244.1.1").setDevice("veth0").setFamily(IPFamily.v4))
                .addRoutes(Route.newBuilder().setDest("10.96.0.0/12").setDevice("veth0").setScope(253)
                        .setFamily(IPFamily.v4))
                .build());
        List<String> table = new ArrayList<>();
        for (JsonNode r : ipJson("-4", "route", "show")) {
            table.add(r.path("dst").asText() + " " + r.path("gateway").asText("-"));
        }
        assertTrue(table.contains("default 10.244.1.1"), table.toString());
        assertTrue(table.contains("10.96.0.0/12 -"), table.toString());
        assertTrue(table.contains("10.244.1.0/24 -"), "kernel route kept: " + table);
        assertTrue(table.stream().noneMatch(t -> t.startsWith("198.51.100.0/24")), "old route removed: " + table);
        assertTrue(out.getRoutesList().stream().anyMatch(r -> r.getDest().isEmpty() && r.getGateway().equals("10.244.1.1")));

        net.addArpNeighbors(List.of(ARPNeighbor.newBuilder()
                .setToIPAddress(IPAddress.newBuilder().setFamily(IPFamily.v4).setAddress("10.244.1.1"))
                .setDevice("veth0").setLladdr("02:aa:bb:cc:dd:ee").setState(0x80).build()));
        JsonNode n = ipJson("neigh", "show", "dev", "veth0").get(0);
        assertEquals("10.244.1.1", n.path("dst").asText());
        assertEquals("02:aa:bb:cc:dd:ee", n.path("lladdr").asText());
        assertTrue(n.path("state").toString().contains("PERMANENT"), n.toString());
        assertThrows(AgentException.class, () -> net.addArpNeighbors(List.of(ARPNeighbor.newBuilder()
                .setToIPAddress(IPAddress.newBuilder().setAddress("10.244.1.2")).setDevice("veth0")
                .setLladdr("zz").build())));
    }

    private JsonNode ipJson(String... args) throws Exception {
        List<String> c = new ArrayList<>(List.of("ip", "-j", "-n", ns));
        c.addAll(List.of(args));
        Result r = run(c.toArray(String[]::new));
        assertEquals(0, r.exit, r.out);
        return new ObjectMapper().readTree(r.out);
    }

    private record Result(int exit, String out) {}

    private static Result run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Result(p.waitFor(), out);
    }
}
