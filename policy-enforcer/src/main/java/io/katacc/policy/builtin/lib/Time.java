package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** time.*: nanoseconds since the epoch (int64, as Go), optional [ns, timezone(, layout)] arrays. */
final class Time {
    private Time() {}

    /** Named UTC so that layouts with "MST" print "UTC", as Go does. */
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

    static void registerAll(BuiltinRegistry r) {
        r.register("time.now_ns", 0, (c, a) -> Value.num(c.nowNs()));
        r.register("time.parse_rfc3339_ns", 1, (c, a) ->
                parse("time.parse_rfc3339_ns", GoTimeLayout.RFC3339_NANO, Args.str("time.parse_rfc3339_ns", a, 0)));
        r.register("time.parse_ns", 2, (c, a) ->
                parse("time.parse_ns", Args.str("time.parse_ns", a, 0), Args.str("time.parse_ns", a, 1)));
        r.register("time.parse_duration_ns", 1, (c, a) -> NumberValue.of(duration(Args.str("time.parse_duration_ns", a, 0))));
        r.register("time.date", 1, (c, a) -> {
            ZonedDateTime t = zoned("time.date", a.get(0));
            return new ArrayValue(List.of(Value.num(t.getYear()), Value.num(t.getMonthValue()), Value.num(t.getDayOfMonth())));
        });
        r.register("time.clock", 1, (c, a) -> {
            ZonedDateTime t = zoned("time.clock", a.get(0));
            return new ArrayValue(List.of(Value.num(t.getHour()), Value.num(t.getMinute()), Value.num(t.getSecond())));
        });
        r.register("time.weekday", 1, (c, a) ->
                Value.str(zoned("time.weekday", a.get(0)).getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)));
        r.register("time.format", 1, (c, a) -> {
            Value x = a.get(0);
            String layout = null;
            if (x instanceof ArrayValue arr && arr.size() == 3) {
                if (!(arr.get(2) instanceof StringValue s)) {
                    throw new BuiltinError(BuiltinError.Kind.TYPE, "time.format: 3rd element of ns must be a string, got " + arr.get(2));
                }
                layout = s.value();
            }
            ZonedDateTime t = zoned("time.format", x);
            if (layout == null) return Value.str(rfc3339(t));
            return Value.str(GoTimeLayout.formatter(layout).format(t));
        });
        r.register("time.add_date", 4, (c, a) -> {
            long ns = ns("time.add_date", Args.num("time.add_date", a, 0));
            long years = Args.integer("time.add_date", a, 1), months = Args.integer("time.add_date", a, 2),
                    days = Args.integer("time.add_date", a, 3);
            ZonedDateTime t = toZoned(ns, ZoneOffset.UTC);
            try {
                // Go's AddDate normalises (Jan 31 + 1 month = Mar 3), unlike plusMonths which clamps.
                LocalDate d = LocalDate.of(Math.addExact(t.getYear(), Math.toIntExact(years)), 1, 1)
                        .plusMonths(t.getMonthValue() - 1 + months)
                        .plusDays(t.getDayOfMonth() - 1 + days);
                return toNs("time.add_date", d.atTime(t.toLocalTime()).toInstant(ZoneOffset.UTC));
            } catch (ArithmeticException | DateTimeException e) {
                throw Undefined.because("time.add_date: result out of range");
            }
        });
        r.register("time.diff", 2, (c, a) -> diff(zoned("time.diff", a.get(0)), zoned("time.diff", a.get(1))));
    }

    /** RFC 3339 with 0, 3, 6 or 9 fraction digits, as regorus (chrono's AutoSi) formats by default. */
    private static String rfc3339(ZonedDateTime t) {
        int nano = t.getNano();
        String frac = nano == 0 ? "" : nano % 1_000_000 == 0 ? String.format(".%03d", nano / 1_000_000)
                : nano % 1_000 == 0 ? String.format(".%06d", nano / 1_000) : String.format(".%09d", nano);
        String off = t.getOffset().getTotalSeconds() == 0 ? "Z" : t.getOffset().getId();
        return String.format("%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond()) + frac + off;
    }

    private static long ns(String fn, NumberValue n) throws BuiltinError {
        try {
            return n.decimal().setScale(0, RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw new BuiltinError(fn + ": timestamp out of range: " + n);
        }
    }

    private static ZonedDateTime toZoned(long ns, ZoneId zone) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)).atZone(zone);
    }

    private static NumberValue toNs(String fn, Instant i) throws BuiltinError {
        BigInteger v = BigInteger.valueOf(i.getEpochSecond()).multiply(NANOS).add(BigInteger.valueOf(i.getNano()));
        if (v.bitLength() > 63) throw new BuiltinError(fn + ": time outside the range of int64 nanoseconds");
        return NumberValue.of(v);
    }

    /** ns, or [ns, tz] / [ns, tz, layout]; "" and "UTC" are UTC, "Local" the machine's zone. */
    private static ZonedDateTime zoned(String fn, Value x) throws BuiltinError {
        if (x instanceof NumberValue n) return toZoned(ns(fn, n), UTC);
        if (x instanceof ArrayValue arr && arr.size() >= 2 && arr.get(0) instanceof NumberValue n
                && arr.get(1) instanceof StringValue tz) {
            ZoneId zone;
            try {
                zone = switch (tz.value()) {
                    case "", "UTC" -> UTC;
                    case "Local" -> ZoneId.systemDefault();
                    default -> ZoneId.of(tz.value());
                };
            } catch (DateTimeException e) {
                throw new BuiltinError(fn + ": unknown time zone \"" + tz.value() + "\"");
            }
            return toZoned(ns(fn, n), zone);
        }
        throw new BuiltinError(BuiltinError.Kind.TYPE, fn + ": ns must be a number or array[number, string], got " + x.typeName());
    }

    private static Value parse(String fn, String layout, String value) throws BuiltinError {
        DateTimeFormatter f = GoTimeLayout.formatter(layout);
        TemporalAccessor t;
        try {
            t = f.parse(value);
        } catch (DateTimeParseException e) {
            throw new BuiltinError(fn + ": cannot parse \"" + value + "\" as \"" + layout + "\"");
        }
        try {
            int year = t.isSupported(ChronoField.YEAR) ? t.get(ChronoField.YEAR) : 0;
            int month = t.isSupported(ChronoField.MONTH_OF_YEAR) ? t.get(ChronoField.MONTH_OF_YEAR) : 1;
            int day = t.isSupported(ChronoField.DAY_OF_MONTH) ? t.get(ChronoField.DAY_OF_MONTH) : 1;
            int hour = t.isSupported(ChronoField.HOUR_OF_DAY) ? t.get(ChronoField.HOUR_OF_DAY) : 0;
            int min = t.isSupported(ChronoField.MINUTE_OF_HOUR) ? t.get(ChronoField.MINUTE_OF_HOUR) : 0;
            int sec = t.isSupported(ChronoField.SECOND_OF_MINUTE) ? t.get(ChronoField.SECOND_OF_MINUTE) : 0;
            int nano = t.isSupported(ChronoField.NANO_OF_SECOND) ? t.get(ChronoField.NANO_OF_SECOND) : 0;
            ZoneId zone = t.isSupported(ChronoField.OFFSET_SECONDS)
                    ? ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)) : ZoneOffset.UTC;
            return toNs(fn, ZonedDateTime.of(year, month, day, hour, min, sec, nano, zone).toInstant());
        } catch (DateTimeException e) {
            throw new BuiltinError(fn + ": invalid time \"" + value + "\": " + e.getMessage());
        }
    }

    /** Go's time.ParseDuration. */
    static BigInteger duration(String s) throws BuiltinError {
        String orig = s;
        boolean neg = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            neg = s.startsWith("-");
            s = s.substring(1);
        }
        if (s.equals("0")) return BigInteger.ZERO;
        if (s.isEmpty()) throw new BuiltinError("time.parse_duration_ns: invalid duration \"" + orig + "\"");
        Matcher m = DURATION_PART.matcher(s);
        BigDecimal total = BigDecimal.ZERO;
        int pos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos || m.group(1).isEmpty() || m.group(1).equals(".")) {
                throw new BuiltinError("time.parse_duration_ns: invalid duration \"" + orig + "\"");
            }
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            pos = m.end();
        }
        BigInteger r = total.setScale(0, RoundingMode.DOWN).toBigInteger();
        if (r.bitLength() > 63) throw new BuiltinError("time.parse_duration_ns: invalid duration \"" + orig + "\"");
        return neg ? r.negate() : r;
    }

    /** OPA's time.diff: [years, months, days, hours, minutes, seconds] between two instants. */
    private static Value diff(ZonedDateTime a, ZonedDateTime b) {
        ZonedDateTime x = a, y = b.withZoneSameInstant(a.getZone());
        if (x.isAfter(y)) {
            ZonedDateTime t = x;
            x = y;
            y = t;
        }
        long year = y.getYear() - x.getYear(), month = y.getMonthValue() - x.getMonthValue(),
                day = y.getDayOfMonth() - x.getDayOfMonth(), hour = y.getHour() - x.getHour(),
                min = y.getMinute() - x.getMinute(), sec = y.getSecond() - x.getSecond();
        if (sec < 0) { sec += 60; min--; }
        if (min < 0) { min += 60; hour--; }
        if (hour < 0) { hour += 24; day--; }
        if (day < 0) {
            day += x.toLocalDate().withDayOfMonth(1).plusMonths(1).minusDays(1).getDayOfMonth();
            month--;
        }
        if (month < 0) { month += 12; year--; }
        return new ArrayValue(List.of(Value.num(year), Value.num(month), Value.num(day), Value.num(hour),
                Value.num(min), Value.num(sec)));
    }
}
