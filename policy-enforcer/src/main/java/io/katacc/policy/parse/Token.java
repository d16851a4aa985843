package io.katacc.policy.parse;

/** A lexical token; {@code nl} is true when a line break precedes it (ends a body literal). */
public record Token(Kind kind, String text, int line, int col, boolean nl) {
    public enum Kind { IDENT, STRING, RAWSTRING, NUMBER, PUNCT, EOF }

    public boolean is(String s) {
        return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(s);
    }
}
