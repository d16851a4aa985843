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

/** Read-only view of the guest's links and routes, from iproute2's JSON output ({@code ip -j}). */
public final class GuestNetwork {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Interfaces listInterfaces() {
        Interfaces.Builder out = Interfaces.newBuilder();
        for (JsonNode link : ip(List.of("ip", "-j", "-d", "addr", "show"))) {
            String name = link.path("ifname").asText();
            Interface.Builder i = Interface.newBuilder().setDevice(name).setName(name)
                    .setMtu(link.path("mtu").asLong()).setHwAddr(link.path("address").asText(""))
                    .setType(link.path("linkinfo").path("info_kind").asText("")).setRawFlags(rawFlags(name));
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

    private static JsonNode ip(List<String> cmd) {
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
