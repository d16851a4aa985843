package io.katacc.policy.parse;

import io.katacc.policy.ast.Literal;
import io.katacc.policy.ast.Module;
import io.katacc.policy.ast.Rule;
import io.katacc.policy.ast.Term;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Recursive-descent parser for Rego v0 and v1 modules and queries. */
public final class Parser {
    private static final Set<String> RELATIONS = Set.of("==", "!=", "<", "<=", ">", ">=");
    /** Upper bound on syntactic nesting, so hostile input cannot overflow the stack. */
    public static final int MAX_NESTING = 200;

    private final String file;
    private final List<Token> toks;
    private int p;
    private int depth;     // > 0 inside brackets: line breaks are insignificant
    private int nesting;
    private boolean noOr;  // parsing a comprehension head: '|' ends it
    private int fresh;
    private boolean v1;     // import rego.v1 seen

    private Parser(String file, String src) {
        this.file = file;
        this.toks = Lexer.tokenize(file, src);
    }

    public static Module parseModule(String file, String src) {
        return new Parser(file, src).module();
    }

    public static List<Literal> parseQuery(String src) {
        Parser ps = new Parser("query", src);
        List<Literal> body = new ArrayList<>();
        while (ps.peek().kind() != Token.Kind.EOF) {
            body.add(ps.literal());
            if (ps.peek().is(";")) ps.next();
            else if (ps.peek().kind() != Token.Kind.EOF && !ps.peek().nl()) throw ps.error("unexpected " + ps.describe(ps.peek()));
        }
        return body;
    }

    // ---- module level

    private Module module() {
        expectIdent("package");
        List<String> pkg = new ArrayList<>();
        pkg.add(ident());
        while (peek().is(".") || peek().is("[")) {
            if (next().is(".")) {
                pkg.add(ident());
            } else {
                Token s = next();
                if (s.kind() != Token.Kind.STRING) throw error("expected string in package path");
                pkg.add(s.text());
                expect("]");
            }
        }
        Map<String, Term> imports = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        while (peek().kind() != Token.Kind.EOF) {
            Token t = peek();
            if (t.is("import")) {
                next();
                Term ref = postfix(varTerm(ident()));
                String path = refText(ref);
                if (peek().is("as")) {
                    next();
                    imports.put(ident(), ref);
                } else if (path.equals("rego.v1")) {
                    v1 = true;
                } else if (path.startsWith("future.keywords")) {
                    // keywords are always recognised in keyword positions
                } else if (path.equals("input") || path.equals("data")) {
                    // implicit
                } else if (ref instanceof Term.Ref r && !r.path().isEmpty()
                        && r.path().getLast() instanceof Term.Scalar s && s.value() instanceof io.katacc.policy.value.StringValue sv) {
                    imports.put(sv.value(), ref);
                } else {
                    throw new SyntaxError(file, t.line(), t.col(), "invalid import " + path);
                }
            } else {
                rules.add(rule());
            }
        }
        return new Module(file, List.copyOf(pkg), imports, rules, v1);
    }

    private String refText(Term t) {
        if (t instanceof Term.Var v) return v.name();
        if (t instanceof Term.Ref r) {
            StringBuilder sb = new StringBuilder(refText(r.head()));
            for (Term e : r.path()) {
                if (e instanceof Term.Scalar s && s.value() instanceof io.katacc.policy.value.StringValue sv) sb.append('.').append(sv.value());
                else sb.append("[?]");
            }
            return sb.toString();
        }
        return "?";
    }

    private Rule rule() {
        Token start = peek();
        boolean isDefault = false;
        if (start.is("default")) {
            next();
            isDefault = true;
        }
        Token nameTok = peek();
        if (nameTok.kind() != Token.Kind.IDENT) throw error(nameTok, "expected rule name but found " + describe(nameTok));
        next();
        // head reference: name, then .field or [term] elements
        List<Term> head = new ArrayList<>();
        head.add(new Term.Scalar(Value.str(nameTok.text())));
        int lastBracket = -1;
        int firstBracket = -1;
        while (!peek().nl() && (peek().is(".") || peek().is("["))) {
            if (next().is(".")) {
                head.add(new Term.Scalar(Value.str(ident())));
            } else {
                depth++;
                head.add(expr());
                depth--;
                expect("]");
                lastBracket = head.size() - 1;
                if (firstBracket < 0) firstBracket = lastBracket;
            }
        }
        // dotted segments name the rule; bracketed ones are keys of a partial rule
        int constant = firstBracket < 0 ? head.size() : firstBracket;
        List<Term> args = null;
        Term value = null;
        Rule.Kind kind;
        List<Term> keys = List.of();
        if (peek().is("(") && !peek().nl()) {
            for (Term t : head) {
                if (!(t instanceof Term.Scalar sc && sc.value() instanceof io.katacc.policy.value.StringValue)) {
                    throw error(peek(), "function name must be a reference with string segments");
                }
            }
            constant = head.size();
            args = argList();
            kind = Rule.Kind.FUNCTION;
        } else if (peek().is("contains")) {
            if (constant != head.size()) throw error(peek(), "contains rule name must be a plain reference");
            next();
            keys = List.of(orExpr());
            kind = Rule.Kind.PARTIAL_SET;
        } else {
            kind = Rule.Kind.COMPLETE;
        }
        boolean hasValue = false;
        if ((peek().is("=") || peek().is(":=")) && !peek().nl()) {
            next();
            value = relExprIn();
            hasValue = true;
        } else if (isDefault) {
            throw error(peek(), "expected := or = after default rule name");
        }
        if (isDefault && !constant(value)) {
            throw new SyntaxError(file, nameTok.line(), nameTok.col(), "default rule value must be a constant (no variables, references, calls or operators)");
        }
        if (kind == Rule.Kind.COMPLETE && !v1 && !hasValue && firstBracket < 0 && head.size() == 2 && !peek().is("if")) {
            keys = head.subList(1, 2); // v0: p.q { ... } is the partial set p containing "q"
            head = head.subList(0, 1);
            kind = Rule.Kind.PARTIAL_SET;
        } else if (kind == Rule.Kind.COMPLETE && !v1 && !hasValue && lastBracket == head.size() - 1 && lastBracket >= 1
                && constant >= lastBracket) {
            keys = head.subList(lastBracket, head.size()); // v0: p[x] { ... } is a partial set
            head = head.subList(0, lastBracket);
            kind = Rule.Kind.PARTIAL_SET;
        } else if (kind == Rule.Kind.COMPLETE && constant < head.size()) {
            keys = head.subList(constant, head.size());
            head = head.subList(0, constant);
            boolean v0Set = !v1 && !hasValue && keys.size() == 1;
            kind = v0Set ? Rule.Kind.PARTIAL_SET : Rule.Kind.PARTIAL_OBJECT;
        }
        if (constant == 0) throw error(nameTok, "rule head must start with a name");
        List<String> path = new ArrayList<>();
        for (Term t : head) path.add(((io.katacc.policy.value.StringValue) ((Term.Scalar) t).value()).value());
        String name = path.removeLast();
        List<Literal> body = isDefault ? List.of() : ruleBody();
        if (body == null) body = List.of();
        if (value == null && kind != Rule.Kind.PARTIAL_SET) value = new Term.Scalar(Value.TRUE);
        Rule elseRule = isDefault ? null : elseChain(args);
        return new Rule(kind, name, path, args, keys, value, body, elseRule, isDefault, start.line());
    }

    private static boolean constant(Term t) {
        return switch (t) {
            case Term.Scalar s -> true;
            case Term.ArrayLit a -> a.items().stream().allMatch(Parser::constant);
            case Term.SetLit a -> a.items().stream().allMatch(Parser::constant);
            case Term.ObjectLit o -> o.keys().stream().allMatch(Parser::constant) && o.values().stream().allMatch(Parser::constant);
            case Term.ArrayCompr c -> true;
            case Term.SetCompr c -> true;
            case Term.ObjectCompr c -> true;
            default -> false;
        };
    }

    private Rule elseChain(List<Term> args) {
        if (!peek().is("else")) return null;
        Token t = next();
        Term value = new Term.Scalar(Value.TRUE);
        if (peek().is("=") || peek().is(":=")) {
            next();
            value = relExprIn();
        }
        List<Literal> body = ruleBody();
        if (body == null) body = List.of();
        Rule next = elseChain(args);
        return new Rule(args == null ? Rule.Kind.COMPLETE : Rule.Kind.FUNCTION, "else", List.of(), args, List.of(), value,
                body, next, false, t.line());
    }

    /** {@code if {..}}, {@code if literal}, {@code {..}}, or null when the rule has no body. */
    private List<Literal> ruleBody() {
        if (peek().is("if")) {
            next();
            if (peek().is("{")) return comprehensionBody() ? comprehensionLiteral() : braceBody();
            List<Literal> b = new ArrayList<>();
            b.add(literal());
            return b;
        }
        if (peek().is("{")) return comprehensionBody() ? comprehensionLiteral() : braceBody();
        return null;
    }

    /** Whether a rule body in braces is really a set/object comprehension ({@code p if { 1 | 1 }}), as regorus reads it. */
    private boolean comprehensionBody() {
        int save = p, saveDepth = depth, saveNesting = nesting;
        boolean saveNoOr = noOr;
        try {
            next();
            depth++;
            headTerm();
            if (accept(":")) headTerm();
            return peek().is("|");
        } catch (SyntaxError e) {
            return false;
        } finally {
            p = save;
            depth = saveDepth;
            nesting = saveNesting;
            noOr = saveNoOr;
        }
    }

    private List<Literal> comprehensionLiteral() {
        Token t = peek();
        Term compr = postfix(primary());
        List<Literal> body = new ArrayList<>();
        body.add(new Literal.Expr(compr, false, List.of(), t.line()));
        return body;
    }

    private List<Term> argList() {
        expect("(");
        depth++;
        List<Term> args = new ArrayList<>();
        if (!peek().is(")")) {
            do {
                args.add(orExpr());
            } while (accept(","));
        }
        depth--;
        expect(")");
        return args;
    }

    private List<Literal> braceBody() {
        expect("{");
        List<Literal> body = literals("}");
        expect("}");
        return body;
    }

    /** Literals separated by ';' or line breaks, up to (not including) {@code end}. */
    private List<Literal> literals(String end) {
        int savedDepth = depth;
        boolean savedNoOr = noOr;
        depth = 0;
        noOr = false;
        enter();
        List<Literal> body = new ArrayList<>();
        while (!peek().is(end)) {
            if (peek().kind() == Token.Kind.EOF) throw error("expected " + end + " but found end of file");
            body.add(literal());
            if (peek().is(";")) {
                next();
            } else if (!peek().is(end) && !peek().nl()) {
                throw error("unexpected " + describe(peek()) + " (expected ; or new line)");
            }
        }
        nesting--;
        depth = savedDepth;
        noOr = savedNoOr;
        return body;
    }

    // ---- literals

    private Literal literal() {
        Token t = peek();
        if (t.is("some")) {
            next();
            Term a = relExpr();
            Term b = null;
            if (accept(",")) b = relExpr();
            if (peek().is("in")) {
                next();
                Term coll = relExpr();
                return b == null ? new Literal.SomeIn(null, a, coll, t.line()) : new Literal.SomeIn(a, b, coll, t.line());
            }
            List<String> names = new ArrayList<>();
            names.add(varName(a));
            if (b != null) names.add(varName(b));
            while (accept(",")) names.add(ident());
            return new Literal.SomeVars(names, t.line());
        }
        if (t.is("every") && toks.get(p + 1).kind() == Token.Kind.IDENT) {
            next();
            Term a = varTerm(ident());
            Term b = null;
            if (accept(",")) b = varTerm(ident());
            expectIdent("in");
            Term coll = relExpr();
            List<Literal> body = braceBody();
            return b == null ? new Literal.Every(null, a, coll, body, t.line()) : new Literal.Every(a, b, coll, body, t.line());
        }
        boolean neg = false;
        if (t.is("not")) {
            next();
            neg = true;
        }
        Term e = expr();
        List<Literal.With> withs = new ArrayList<>();
        while (peek().is("with")) {
            next();
            Term target = postfix(varTerm(ident()));
            expectIdent("as");
            withs.add(new Literal.With(target, orExpr()));
        }
        return new Literal.Expr(e, neg, withs, t.line());
    }

    private String varName(Term t) {
        if (t instanceof Term.Var v) return v.name();
        throw error("expected variable name after some");
    }

    // ---- expressions, lowest precedence first

    private Term expr() {
        Term left = inExpr();
        if (cont(":=")) {
            next();
            return new Term.Assign(left, inExpr());
        }
        if (cont("=")) {
            next();
            return new Term.Unify(left, inExpr());
        }
        return left;
    }

    private Term inExpr() {
        Term left = relExpr();
        if (cont(",") && depth == 0 && lookaheadIn()) { // k, v in coll
            next();
            Term v = relExpr();
            expectIdent("in");
            return new Term.Membership(left, v, relExpr());
        }
        while (cont("in")) {
            next();
            left = new Term.Membership(null, left, relExpr());
        }
        return left;
    }

    private boolean lookaheadIn() {
        // ", term in" at literal level: scan a simple var/ref then 'in'
        int q = p + 1;
        if (q < toks.size() && toks.get(q).kind() != Token.Kind.PUNCT && toks.get(q).kind() != Token.Kind.EOF) {
            return q + 1 < toks.size() && toks.get(q + 1).is("in");
        }
        return false;
    }

    private Term relExpr() {
        Term left = orExpr();
        while (peek().kind() == Token.Kind.PUNCT && RELATIONS.contains(peek().text()) && (depth > 0 || !peek().nl())) {
            String op = next().text();
            left = new Term.Binary(op, left, orExpr());
        }
        return left;
    }

    private Term orExpr() {
        Term left = andExpr();
        while (!noOr && cont("|")) {
            next();
            left = new Term.Binary("|", left, andExpr());
        }
        return left;
    }

    private Term andExpr() {
        Term left = addExpr();
        while (cont("&")) {
            next();
            left = new Term.Binary("&", left, addExpr());
        }
        return left;
    }

    private Term addExpr() {
        Term left = mulExpr();
        while (cont("+") || cont("-")) {
            String op = next().text();
            left = new Term.Binary(op, left, mulExpr());
        }
        return left;
    }

    private Term mulExpr() {
        Term left = unary();
        while (cont("*") || cont("/") || cont("%")) {
            String op = next().text();
            left = new Term.Binary(op, left, unary());
        }
        return left;
    }

    private Term unary() {
        if (peek().is("-")) {
            Token minus = next();
            if (peek().kind() == Token.Kind.NUMBER) {
                return postfix(new Term.Scalar(NumberValue.parse("-" + next().text())));
            }
            // as regorus: negation applies to numeric literals only (write 0 - x otherwise)
            throw error(minus, "unary - can only be used with numeric literals");
        }
        return postfix(primary());
    }

    /** An operator continues the expression unless a line break precedes it outside brackets. */
    private boolean cont(String op) {
        Token t = peek();
        return t.is(op) && (depth > 0 || !t.nl());
    }

    private Term primary() {
        Token t = next();
        switch (t.kind()) {
            case NUMBER -> {
                return new Term.Scalar(NumberValue.parse(t.text()));
            }
            case STRING, RAWSTRING -> {
                return new Term.Scalar(Value.str(t.text()));
            }
            case IDENT -> {
                return switch (t.text()) {
                    case "true" -> new Term.Scalar(Value.TRUE);
                    case "false" -> new Term.Scalar(Value.FALSE);
                    case "null" -> new Term.Scalar(Value.NULL);
                    default -> varTerm(t.text());
                };
            }
            case EOF -> throw error(t, "unexpected end of file");
            default -> { }
        }
        if (t.is("(")) {
            enter();
            depth++;
            boolean savedNoOr = noOr;
            noOr = false;
            Term e = expr();
            noOr = savedNoOr;
            depth--;
            nesting--;
            expect(")");
            return e;
        }
        if (t.is("[")) return array();
        if (t.is("{")) return braces();
        throw error(t, "unexpected " + describe(t));
    }

    private Term array() {
        enter();
        depth++;
        try {
            if (accept("]")) return new Term.ArrayLit(List.of());
            Term first = headTerm();
            if (peek().is("|")) {
                next();
                List<Literal> body = literals("]");
                expect("]");
                return new Term.ArrayCompr(first, body);
            }
            List<Term> items = new ArrayList<>();
            items.add(first);
            while (accept(",")) {
                if (peek().is("]")) break;
                items.add(inExprNested());
            }
            expect("]");
            return new Term.ArrayLit(items);
        } finally {
            depth--;
            nesting--;
        }
    }

    private Term braces() {
        enter();
        depth++;
        try {
            if (accept("}")) return new Term.ObjectLit(List.of(), List.of());
            Term first = headTerm();
            if (accept(":")) {
                Term v = headTerm();
                if (peek().is("|")) {
                    next();
                    List<Literal> body = literals("}");
                    expect("}");
                    return new Term.ObjectCompr(first, v, body);
                }
                List<Term> keys = new ArrayList<>(List.of(first));
                List<Term> vals = new ArrayList<>(List.of(v));
                while (accept(",")) {
                    if (peek().is("}")) break;
                    keys.add(inExprNested());
                    expect(":");
                    vals.add(inExprNested());
                }
                expect("}");
                return new Term.ObjectLit(keys, vals);
            }
            if (peek().is("|")) {
                next();
                List<Literal> body = literals("}");
                expect("}");
                return new Term.SetCompr(first, body);
            }
            List<Term> items = new ArrayList<>(List.of(first));
            while (accept(",")) {
                if (peek().is("}")) break;
                items.add(inExprNested());
            }
            expect("}");
            return new Term.SetLit(items);
        } finally {
            depth--;
            nesting--;
        }
    }

    private Term headTerm() {
        boolean saved = noOr;
        noOr = true;
        try {
            return relExprIn();
        } finally {
            noOr = saved;
        }
    }

    private Term relExprIn() {
        Term left = relExpr();
        while (cont("in")) {
            next();
            left = new Term.Membership(null, left, relExpr());
        }
        return left;
    }

    private Term inExprNested() {
        boolean saved = noOr;
        noOr = false;
        try {
            return relExprIn();
        } finally {
            noOr = saved;
        }
    }

    private Term postfix(Term t) {
        while (true) {
            Token n = peek();
            if (n.nl() && depth == 0) return t;
            if (n.is(".")) {
                next();
                Token f = next();
                if (f.kind() != Token.Kind.IDENT) throw error(f, "expected field name after '.'");
                t = append(t, new Term.Scalar(Value.str(f.text())));
            } else if (n.is("[")) {
                next();
                enter();
                depth++;
                boolean saved = noOr;
                noOr = false;
                Term idx = expr();
                noOr = saved;
                depth--;
                nesting--;
                expect("]");
                t = append(t, idx);
            } else if (n.is("(")) {
                String name = callName(t);
                if (name == null) return t;
                List<Term> args = argList();
                if (name.equals("set") && args.isEmpty()) t = new Term.SetLit(List.of());
                else t = new Term.Call(name, args, n.line());
            } else {
                return t;
            }
        }
    }

    private static Term append(Term t, Term elem) {
        if (t instanceof Term.Ref r) {
            List<Term> path = new ArrayList<>(r.path());
            path.add(elem);
            return new Term.Ref(r.head(), path);
        }
        return new Term.Ref(t, List.of(elem));
    }

    private static String callName(Term t) {
        if (t instanceof Term.Var v) return v.name();
        if (t instanceof Term.Ref r && r.head() instanceof Term.Var v) {
            StringBuilder sb = new StringBuilder(v.name());
            for (Term e : r.path()) {
                if (e instanceof Term.Scalar s && s.value() instanceof io.katacc.policy.value.StringValue sv) sb.append('.').append(sv.value());
                else return null;
            }
            return sb.toString();
        }
        return null;
    }

    private Term varTerm(String name) {
        if (name.equals("_")) return new Term.Var("_$" + (fresh++));
        return new Term.Var(name);
    }

    // ---- token helpers

    private void enter() {
        if (++nesting > MAX_NESTING) throw error("nesting deeper than " + MAX_NESTING + " levels");
    }

    private Token peek() {
        return toks.get(p);
    }

    private Token next() {
        Token t = toks.get(p);
        if (t.kind() != Token.Kind.EOF) p++;
        return t;
    }

    private boolean accept(String s) {
        if (peek().is(s)) {
            p++;
            return true;
        }
        return false;
    }

    private void expect(String s) {
        Token t = peek();
        if (!t.is(s)) throw error(t, "expected '" + s + "' but found " + describe(t));
        p++;
    }

    private void expectIdent(String s) {
        expect(s);
    }

    private String ident() {
        Token t = peek();
        if (t.kind() != Token.Kind.IDENT) throw error(t, "expected identifier but found " + describe(t));
        p++;
        return t.text();
    }

    private String describe(Token t) {
        return switch (t.kind()) {
            case EOF -> "end of file";
            case STRING -> "string \"" + t.text() + "\"";
            default -> "'" + t.text() + "'";
        };
    }

    private SyntaxError error(String msg) {
        return error(peek(), msg);
    }

    private SyntaxError error(Token t, String msg) {
        return new SyntaxError(file, t.line(), t.col(), msg);
    }
}
