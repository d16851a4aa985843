package io.katacc.agent.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.agent.api.Interfaces;
import io.katacc.agent.api.Routes;
import io.katacc.agent.api.types.IPAddress;
import io.katacc.agent.api.types.IPFamily;
import io.katacc.agent.api.types.Interface;
import io.katacc.agent.api.types.Route;
import io.katacc.agent.error.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The guest's links, routes and neighbours through iproute2 ({@code ip -j} for reading). An optional
 * network namespace name runs every command as {@code ip -n <netns>} (tests use their own namespace).
 */
public final class GuestNetwork {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String netns;

    public GuestNetwork() {
        this(null);
    }

    public GuestNetwork(String netns) {
        this.netns = netns;
    }

    /**
     * Kata's update_interface: the link is found by hardware address; it is taken down, its addresses are
     * replaced by the requested ones, MTU and name applied, and it is brought up again.
     */
    public Interface updateInterface(Interface want) {
        String hw = want.getHwAddr().toLowerCase(java.util.Locale.ROOT);
        if (hw.isEmpty()) {
            throw AgentException.invalid("UpdateInterface: interface.hwAddr is required to find the link");
        }
        if (!want.getName().isEmpty() && !want.getName().matches("[A-Za-z0-9_.:-]{1,15}")) {
            throw AgentException.invalid("UpdateInterface: invalid interface name '" + want.getName() + "'");
        }
        java.util.List<String[]> addrs = new java.util.ArrayList<>();
        for (IPAddress a : want.getIPAddressesList()) {
            addrs.add(new String[] {cidr(a, "UpdateInterface")});
        }
        String dev = null;
        for (JsonNode link : ip(List.of("ip", "-j", "link", "show"))) {
            if (hw.equals(link.path("address").asText("").toLowerCase(java.util.Locale.ROOT))) {
                dev = link.path("ifname").asText();
            }
        }
        if (dev == null) {
            throw new AgentException(AgentException.Kind.NOT_FOUND, "UpdateInterface: no link with hwAddr " + hw);
        }
        ip(List.of("ip", "link", "set", "dev", dev, "down"));
        ip(List.of("ip", "addr", "flush", "dev", dev));
        for (String[] a : addrs) {
            ip(List.of("ip", "addr", "add", a[0], "dev", dev));
        }
        if (want.getMtu() > 0) {
            ip(List.of("ip", "link", "set", "dev", dev, "mtu", Long.toString(want.getMtu())));
        }
        if (!want.getName().isEmpty() && !want.getName().equals(dev)) {
            ip(List.of("ip", "link", "set", "dev", dev, "name", want.getName()));
            dev = want.getName();
        }
        ip(List.of("ip", "link", "set", "dev", dev, "up"));
        String name = dev;
        return listInterfaces().getInterfacesList().stream().filter(i -> i.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AgentException(AgentException.Kind.INTERNAL, "UpdateInterface: " + name + " vanished"));
    }

    /**
     * Kata's update_routes: the routes not created by the kernel are removed and the requested ones added;
     * routes without a gateway go first so that gateways are reachable. Returns the resulting table.
     */
    public Routes updateRoutes(Routes want) {
        List<List<String>> adds = new java.util.ArrayList<>();
        java.util.List<Route> ordered = new java.util.ArrayList<>(want.getRoutesList());
        ordered.sort(java.util.Comparator.comparing(r -> !r.getGateway().isEmpty()));
        for (Route r : ordered) {
            adds.add(routeArgs("add", r));
        }
        for (String fam : List.of("-4", "-6")) {
            for (JsonNode r : ip(List.of("ip", "-j", fam, "route", "show", "table", "main"))) {
                if (r.path("protocol").asText("").equals("kernel")) {
                    continue;
                }
                List<String> del = new java.util.ArrayList<>(List.of("ip", fam, "route", "del", r.path("dst").asText()));
                if (r.has("dev")) {
                    del.addAll(List.of("dev", r.path("dev").asText()));
                }
                if (r.has("gateway")) {
                    del.addAll(List.of("via", r.path("gateway").asText()));
                }
                ip(del);
            }
        }
        for (List<String> a : adds) {
            ip(a);
        }
        return listRoutes();
    }

    /** Kata's add_arp_neighbors: each neighbour is added (or replaced) with its lladdr and NUD state. */
    public void addArpNeighbors(List<io.katacc.agent.api.types.ARPNeighbor> neighbors) {
        List<List<String>> cmds = new java.util.ArrayList<>();
        for (io.katacc.agent.api.types.ARPNeighbor n : neighbors) {
            if (!n.hasToIPAddress() || n.getToIPAddress().getAddress().isEmpty()) {
                throw AgentException.invalid("AddARPNeighbors: neighbor without toIPAddress");
            }
            String addr = n.getToIPAddress().getAddress();
            if (!addr.matches("[0-9A-Fa-f.:]+")) {
                throw AgentException.invalid("AddARPNeighbors: invalid IP address '" + addr + "'");
            }
            if (n.getDevice().isEmpty()) {
                throw AgentException.invalid("AddARPNeighbors: neighbor " + addr + " has no device");
            }
            List<String> c = new java.util.ArrayList<>(List.of("ip", "neigh", "replace", addr));
            if (!n.getLladdr().isEmpty()) {
                if (!n.getLladdr().matches("([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}")) {
                    throw AgentException.invalid("AddARPNeighbors: invalid lladdr '" + n.getLladdr() + "'");
                }
                c.addAll(List.of("lladdr", n.getLladdr()));
            }
            c.addAll(List.of("dev", n.getDevice(), "nud", nud(n.getState())));
            cmds.add(c);
        }
        cmds.forEach(GuestNetwork.this::ip);
    }

    /** NUD_* bits as in linux/neighbour.h; Kata passes the request's state straight to netlink. */
    static String nud(int state) {
        return switch (state) {
            case 0, 0x80 -> "permanent";
            case 0x01 -> "incomplete";
            case 0x02 -> "reachable";
            case 0x04 -> "stale";
            case 0x08 -> "delay";
            case 0x10 -> "probe";
            case 0x20 -> "failed";
            case 0x40 -> "noarp";
            default -> throw AgentException.invalid("AddARPNeighbors: unsupported neighbour state " + state);
        };
    }

    private static List<String> routeArgs(String verb, Route r) {
        List<String> c = new java.util.ArrayList<>(List.of("ip", r.getFamily() == IPFamily.v6 ? "-6" : "-4", "route", verb));
        String dest = r.getDest().isEmpty() ? "default" : r.getDest();
        if (!dest.matches("default|[0-9A-Fa-f.:]+(/\\d{1,3})?")) {
            throw AgentException.invalid("UpdateRoutes: invalid destination '" + r.getDest() + "'");
        }
        c.add(dest);
        if (!r.getGateway().isEmpty()) {
            if (!r.getGateway().matches("[0-9A-Fa-f.:]+")) {
                throw AgentException.invalid("UpdateRoutes: invalid gateway '" + r.getGateway() + "'");
            }
            c.addAll(List.of("via", r.getGateway()));
        }
        if (!r.getDevice().isEmpty()) {
            c.addAll(List.of("dev", r.getDevice()));
        }
        if (!r.getSource().isEmpty()) {
            if (!r.getSource().matches("[0-9A-Fa-f.:]+")) {
                throw AgentException.invalid("UpdateRoutes: invalid source '" + r.getSource() + "'");
            }
            c.addAll(List.of("src", r.getSource()));
        }
        c.addAll(List.of("scope", Integer.toString(r.getScope())));
        if (r.getMtu() > 0) {
            c.addAll(List.of("mtu", Integer.toString(r.getMtu())));
        }
        return c;
    }

    private static String cidr(IPAddress a, String method) {
        String addr = a.getAddress();
        String mask = a.getMask().isEmpty() ? (a.getFamily() == IPFamily.v6 ? "128" : "32") : a.getMask();
        if (!addr.matches("[0-9A-Fa-f.:]+") || !mask.matches("\\d{1,3}")
                || Integer.parseInt(mask) > (addr.contains(":") ? 128 : 32)) {
            throw AgentException.invalid(method + ": invalid address '" + addr + "/" + mask + "'");
        }
        return addr + "/" + mask;
    }

    public Interfaces listInterfaces() {
        Interfaces.Builder out = Interfaces.newBuilder();
        for (JsonNode link : ip(List.of("ip", "-j", "-d", "addr", "show"))) {
            String name = link.path("ifname").asText();
            Interface.Builder i = Interface.newBuilder().setDevice(name).setName(name)
                    .setMtu(link.path("mtu").asLong()).setHwAddr(link.path("address").asText(""))
                    .setType(link.path("linkinfo").path("info_kind").asText("")).setRawFlags(netns == null ? rawFlags(name) : 0);
            for (JsonNode a : link.path("addr_info")) {
                String fam = a.path("family").asText();
                if (!fam.equals("inet") && !fam.equals("inet6")) {
                    continue;
                }
                i.addIPAddresses(IPAddress.newBuilder().setFamily(fam.equals("inet") ? IPFamily.v4 : IPFamily.v6)
                        .setAddress(a.path("local").asText()).setMask(Integer.toString(a.path("prefixlen").asInt())));
            }
            out.addInterfaces(i);
        }
        return out.build();
    }

    public Routes listRoutes() {
        Routes.Builder out = Routes.newBuilder();
        addRoutes(out, List.of("ip", "-j", "-4", "route", "show"), IPFamily.v4);
        addRoutes(out, List.of("ip", "-j", "-6", "route", "show"), IPFamily.v6);
        return out.build();
    }

    private void addRoutes(Routes.Builder out, List<String> cmd, IPFamily family) {
        for (JsonNode r : ip(cmd)) {
            String dst = r.path("dst").asText();
            out.addRoutes(Route.newBuilder().setDest(dst.equals("default") ? "" : dst)
                    .setGateway(r.path("gateway").asText("")).setDevice(r.path("dev").asText(""))
                    .setSource(r.path("prefsrc").asText("")).setScope(scope(r.path("scope").asText("global")))
                    .setFamily(family).setMtu(r.path("metrics").path(0).path("mtu").asInt(0)));
        }
    }

    /** rtnetlink scope numbers, as Kata's netlink-based agent reports them. */
    static int scope(String s) {
        return switch (s) {
            case "global", "universe" -> 0;
            case "site" -> 200;
            case "link" -> 253;
            case "host" -> 254;
            case "nowhere" -> 255;
            default -> s.matches("\\d+") ? Integer.parseInt(s) : 0;
        };
    }

    private static int rawFlags(String ifname) {
        try {
            return Integer.decode(Files.readString(Path.of("/sys/class/net", ifname, "flags")).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private JsonNode ip(List<String> command) {
        List<String> cmd = command;
        if (netns != null) {
            cmd = new java.util.ArrayList<>(command);
            cmd.addAll(1, List.of("-n", netns));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AgentException(AgentException.Kind.INTERNAL, String.join(" ", cmd) + " failed: " + err);
            }
            return out.length == 0 ? JSON.createArrayNode() : JSON.readTree(out);
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "cannot run ip: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(AgentException.Kind.INTERNAL, "interrupted running ip");
        }
    }
}
