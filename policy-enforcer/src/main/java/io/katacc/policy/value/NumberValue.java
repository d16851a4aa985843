package io.katacc.policy.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * An arbitrary-precision number. Equality and hashing ignore scale (1 == 1.0), as in OPA.
 */
public final class NumberValue implements Value {
    /** Precision used for division and other inexact operations. */
    public static final MathContext CONTEXT = MathContext.DECIMAL128;

    private static final NumberValue[] SMALL = new NumberValue[256];
    static {
        for (int i = 0; i < SMALL.length; i++) SMALL[i] = new NumberValue(BigDecimal.valueOf(i - 128));
    }

    private final BigDecimal value;

    private NumberValue(BigDecimal value) {
        this.value = value;
    }

    public static NumberValue of(long n) {
        if (n >= -128 && n < 128) return SMALL[(int) n + 128];
        return new NumberValue(BigDecimal.valueOf(n));
    }

    public static NumberValue of(BigDecimal d) {
        BigDecimal s = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        if (s.scale() < 0) s = s.setScale(0);
        return new NumberValue(s);
    }

    public static NumberValue of(BigInteger i) {
        return new NumberValue(new BigDecimal(i));
    }

    public static NumberValue of(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new ArithmeticException("not a finite number: " + d);
        return of(new BigDecimal(Double.toString(d)));
    }

    /** Parses a JSON/Rego number literal. */
    public static NumberValue parse(String text) {
        return of(new BigDecimal(text));
    }

    public BigDecimal decimal() {
        return value;
    }

    public boolean isInteger() {
        return value.scale() <= 0;
    }

    /** The value as a long if it is an integer that fits, else throws ArithmeticException. */
    public long longValueExact() {
        return value.longValueExact();
    }

    public double doubleValue() {
        return value.doubleValue();
    }

    @Override public int typeRank() { return 2; }
    @Override public String typeName() { return "number"; }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumberValue n && value.compareTo(n.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.hashCode(); // normalised in of(), so equal numbers hash alike
    }

    @Override
    public String toString() {
        return value.toPlainString();
    }
}
