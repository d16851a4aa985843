package io.katacc.agent.service;

import io.katacc.agent.policy.Decision;
import io.katacc.agent.policy.PolicyEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny non-Rego policy for gate tests: lines {@code allow *}, {@code deny <Entry> <message>}.
 * Records every evaluation so tests can see what reached the policy.
 */
final class ScriptedEngine implements PolicyEngine {

    record Call(String entry, String input) {
    }

    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile Map<String, String> denied = Map.of();
    private volatile boolean allowRest;
    volatile String text = "";

    ScriptedEngine(String policy) throws Exception {
        replace(policy);
    }

    @Override
    public Decision decide(String entry, String inputJson) {
        calls.add(new Call(entry, inputJson));
        String msg = denied.get(entry);
        if (msg != null) {
            return new Decision(false, msg);
        }
        return new Decision(allowRest, allowRest ? "" : "no rule for " + entry);
    }

    @Override
    public void replace(String policyText) throws Exception {
        Map<String, String> d = new ConcurrentHashMap<>();
        boolean all = false;
        for (String line : policyText.split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (l.equals("allow *")) {
                all = true;
            } else if (l.startsWith("deny ")) {
                String[] p = l.split(" ", 3);
                d.put(p[1], p.length > 2 ? p[2] : "");
            } else {
                throw new IllegalArgumentException("bad policy line: " + l);
            }
        }
        denied = d;
        allowRest = all;
        text = policyText;
    }

    List<String> entries() {
        synchronized (calls) {
            return calls.stream().map(Call::entry).toList();
        }
    }
}
