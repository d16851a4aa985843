package io.katacc.policy.eval;

import io.katacc.policy.ast.Module;
import io.katacc.policy.ast.Rule;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Rules of all modules indexed by package and name; checks kinds agree across definitions. */
public final class PolicyIndex {
    final Map<String, Map<String, RuleSet>> packages = new HashMap<>();
    /** Every proper and full prefix of a package path, dotted ("" is the root). */
    final Set<String> packagePrefixes = new HashSet<>();
    final List<Module> modules;

    public PolicyIndex(List<Module> modules) {
        this.modules = List.copyOf(modules);
        for (Module m : modules) {
            String pkg = String.join(".", m.pkg());
            StringBuilder sb = new StringBuilder();
            packagePrefixes.add("");
            for (String s : m.pkg()) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(s);
                packagePrefixes.add(sb.toString());
            }
            packages.computeIfAbsent(pkg, k -> new HashMap<>());
            for (Rule r : m.rules()) {
                // a ref head a.b.c places rule c in the virtual package <pkg>.a.b
                String rpkg = pkg;
                for (String seg : r.prefix()) {
                    rpkg = rpkg.isEmpty() ? seg : rpkg + "." + seg;
                    packagePrefixes.add(rpkg);
                }
                String rp = rpkg;
                Map<String, RuleSet> rules = packages.computeIfAbsent(rpkg, k -> new HashMap<>());
                RuleSet rs = rules.computeIfAbsent(r.name(), n -> new RuleSet(rp, n));
                Rule.Kind kind = r.kind();
                if (rs.kind != null && rs.kind != kind && !(r.isDefault() && rs.defs.isEmpty() && rs.defaultRule == null)) {
                    boolean compat = (rs.kind == Rule.Kind.COMPLETE && kind == Rule.Kind.COMPLETE);
                    if (!compat) {
                        throw new EvalError(EvalError.Code.COMPILE, m.file() + ":" + r.line() + ": rule " + r.name()
                                + " defined as both " + rs.kind + " and " + kind);
                    }
                }
                rs.kind = kind;
                if (r.isDefault()) {
                    if (rs.defaultRule != null) {
                        throw new EvalError(EvalError.Code.COMPILE, m.file() + ":" + r.line() + ": multiple default rules " + r.name());
                    }
                    rs.defaultRule = r;
                    rs.defaultModule = m;
                } else {
                    rs.defs.add(r);
                    rs.modules.add(m);
                }
            }
        }
    }

    /** True when {@code name} in package {@code pkg} is the first segment of a ref-head rule path. */
    boolean isPrefix(String pkg, String name) {
        return packagePrefixes.contains(pkg.isEmpty() ? name : pkg + "." + name);
    }

    RuleSet lookup(String pkg, String name) {
        Map<String, RuleSet> m = packages.get(pkg);
        return m == null ? null : m.get(name);
    }
}
