package io.katacc.policy.ast;

import java.util.List;
import java.util.Map;

/** A parsed policy file: package path, import aliases (alias to ref), rules in source order. */
public record Module(String file, List<String> pkg, Map<String, Term> imports, List<Rule> rules, boolean v1) {}
