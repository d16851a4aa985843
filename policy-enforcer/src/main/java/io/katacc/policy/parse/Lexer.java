package io.katacc.policy.parse;

import java.util.ArrayList;
import java.util.List;

/** Splits Rego source into tokens. */
public final class Lexer {
    private static final String[] PUNCT = {":=", "==", "!=", "<=", ">=", "{", "}", "[", "]", "(", ")", ".", ",",
            ";", ":", "=", "<", ">", "+", "-", "*", "/", "%", "&", "|"};

    private final String file;
    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    public static List<Token> tokenize(String file, String src) {
        return new Lexer(file, src).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        boolean nl = true;
        while (true) {
            // skip whitespace and comments
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (c == '\n') {
                    nl = true;
                    pos++;
                    line++;
                    lineStart = pos;
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    pos++;
                } else if (c == '#') {
                    while (pos < src.length() && src.charAt(pos) != '\n') pos++;
                } else {
                    break;
                }
            }
            int col = pos - lineStart + 1;
            int l = line;
            // a NUL ends the text (some tools leave a C string terminator after the policy)
            if (pos >= src.length() || src.charAt(pos) == '\0') {
                out.add(new Token(Token.Kind.EOF, "", l, col, true));
                return out;
            }
            char c = src.charAt(pos);
            Token t;
            if (Character.isLetter(c) || c == '_') {
                int s = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
                t = new Token(Token.Kind.IDENT, src.substring(s, pos), l, col, nl);
            } else if (Character.isDigit(c)) {
                t = new Token(Token.Kind.NUMBER, number(), l, col, nl);
            } else if (c == '"') {
                t = new Token(Token.Kind.STRING, string(l, col), l, col, nl);
            } else if (c == '`') {
                int e = src.indexOf('`', pos + 1);
                if (e < 0) throw new SyntaxError(file, l, col, "unterminated raw string");
                String raw = src.substring(pos + 1, e);
                for (int i = pos; i < e; i++) {
                    if (src.charAt(i) == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                }
                pos = e + 1;
                t = new Token(Token.Kind.RAWSTRING, raw, l, col, nl);
            } else {
                String p = null;
                for (String cand : PUNCT) {
                    if (src.startsWith(cand, pos)) {
                        p = cand;
                        break;
                    }
                }
                if (p == null) {
                    String shown = c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
                    throw new SyntaxError(file, l, col, "unexpected character '" + shown + "'");
                }
                pos += p.length();
                t = new Token(Token.Kind.PUNCT, p, l, col, nl);
            }
            out.add(t);
            nl = false;
        }
    }

    private String number() {
        int s = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
            } else {
                pos = save;
            }
        }
        return src.substring(s, pos);
    }

    private String string(int l, int col) {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') throw new SyntaxError(file, l, col, "unterminated string");
            char c = src.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= src.length()) throw new SyntaxError(file, l, col, "unterminated string");
            char e = src.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > src.length()) throw new SyntaxError(file, l, col, "bad \\u escape");
                    try {
                        sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw new SyntaxError(file, line, pos - lineStart, "bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw new SyntaxError(file, line, pos - lineStart, "invalid escape '\\" + e + "'");
            }
        }
    }
}
