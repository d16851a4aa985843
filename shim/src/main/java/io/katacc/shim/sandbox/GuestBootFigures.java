package io.katacc.shim.sandbox;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a guest's boot time went, read from its serial console: the guest's uptime when init started and
 * when it launched the agent (guest-image/init prints both), and the agent's own start-to-ready time.
 */
public record GuestBootFigures(OptionalDouble initAtUptime, OptionalDouble agentLaunchedAtUptime,
                               OptionalLong agentStartToReadyMs) {
    private static final Pattern INIT = Pattern.compile("kcc-init: start uptime=([0-9.]+)");
    private static final Pattern LAUNCHED = Pattern.compile("kcc-init: agent started pid=\\d+ uptime=([0-9.]+)");
    private static final Pattern READY = Pattern.compile("agent start-to-ready (\\d+) ms");

    public static GuestBootFigures parse(String console) {
        return new GuestBootFigures(first(INIT, console), first(LAUNCHED, console), firstLong(READY, console));
    }

    @Override
    public String toString() {
        return "guest: init at uptime " + fmt(initAtUptime) + " s, agent launched at " + fmt(agentLaunchedAtUptime)
                + " s, agent start-to-ready " + (agentStartToReadyMs.isPresent() ? agentStartToReadyMs.getAsLong() + " ms" : "?");
    }

    private static String fmt(OptionalDouble d) {
        return d.isPresent() ? String.format("%.2f", d.getAsDouble()) : "?";
    }

    private static OptionalDouble first(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    private static OptionalLong firstLong(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
}
