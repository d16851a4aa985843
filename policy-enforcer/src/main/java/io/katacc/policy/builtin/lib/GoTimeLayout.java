package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

/** Translates Go reference-time layouts ("2006-01-02T15:04:05Z07:00") into java.time formatters. */
final class GoTimeLayout {
    private GoTimeLayout() {}

    static final String RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

    private static final String[] TOKENS = {
            "January", "Monday", "Jan", "Mon", "MST", "2006", "Z07:00:00", "-07:00:00", "Z07:00", "-07:00",
            "Z0700", "-0700", "Z07", "-07", "002", "__2", "_2", "01", "02", "03", "04", "05", "06", "15",
            "PM", "pm", "1", "2", "3", "4", "5"};

    static DateTimeFormatter formatter(String layout) throws BuiltinError {
        DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().parseCaseInsensitive();
        int i = 0;
        StringBuilder lit = new StringBuilder();
        outer:
        while (i < layout.length()) {
            // Fractional seconds: .000 (fixed) or .999 (trailing zeros trimmed), also with ','.
            char ch = layout.charAt(i);
            if ((ch == '.' || ch == ',') && i + 1 < layout.length()
                    && (layout.charAt(i + 1) == '0' || layout.charAt(i + 1) == '9')
                    && (i == 0 || isSecondsEnd(layout, i))) {
                char d = layout.charAt(i + 1);
                int j = i + 1;
                while (j < layout.length() && layout.charAt(j) == d) j++;
                if (j >= layout.length() || !Character.isDigit(layout.charAt(j))) {
                    flush(b, lit);
                    int n = Math.min(j - i - 1, 9);
                    if (d == '0') b.appendFraction(ChronoField.NANO_OF_SECOND, n, n, true);
                    else b.appendFraction(ChronoField.NANO_OF_SECOND, 0, n, true);
                    i = j;
                    continue;
                }
            }
            for (String t : TOKENS) {
                if (layout.startsWith(t, i)) {
                    flush(b, lit);
                    token(b, t);
                    i += t.length();
                    continue outer;
                }
            }
            lit.append(ch);
            i++;
        }
        flush(b, lit);
        return b.toFormatter(Locale.ENGLISH);
    }

    private static boolean isSecondsEnd(String layout, int i) {
        return i >= 2 && (layout.startsWith("05", i - 2) || layout.charAt(i - 1) == '5');
    }

    private static void flush(DateTimeFormatterBuilder b, StringBuilder lit) {
        if (!lit.isEmpty()) {
            b.appendLiteral(lit.toString());
            lit.setLength(0);
        }
    }

    private static void token(DateTimeFormatterBuilder b, String t) {
        switch (t) {
            case "January" -> b.appendText(ChronoField.MONTH_OF_YEAR, TextStyle.FULL);
            case "Jan" -> b.appendText(ChronoField.MONTH_OF_YEAR, TextStyle.SHORT);
            case "Monday" -> b.appendText(ChronoField.DAY_OF_WEEK, TextStyle.FULL);
            case "Mon" -> b.appendText(ChronoField.DAY_OF_WEEK, TextStyle.SHORT);
            case "MST" -> b.appendZoneText(TextStyle.SHORT);
            case "2006" -> b.appendValue(ChronoField.YEAR, 4, 10, SignStyle.NORMAL);
            case "06" -> b.appendValueReduced(ChronoField.YEAR, 2, 2, 2000);
            case "01" -> b.appendValue(ChronoField.MONTH_OF_YEAR, 2);
            case "1" -> b.appendValue(ChronoField.MONTH_OF_YEAR);
            case "02" -> b.appendValue(ChronoField.DAY_OF_MONTH, 2);
            case "2" -> b.appendValue(ChronoField.DAY_OF_MONTH);
            case "_2" -> b.padNext(2).appendValue(ChronoField.DAY_OF_MONTH);
            case "002" -> b.appendValue(ChronoField.DAY_OF_YEAR, 3);
            case "__2" -> b.padNext(3).appendValue(ChronoField.DAY_OF_YEAR);
            case "15" -> b.appendValue(ChronoField.HOUR_OF_DAY, 2);
            case "03" -> b.appendValue(ChronoField.CLOCK_HOUR_OF_AMPM, 2);
            case "3" -> b.appendValue(ChronoField.CLOCK_HOUR_OF_AMPM);
            case "04" -> b.appendValue(ChronoField.MINUTE_OF_HOUR, 2);
            case "4" -> b.appendValue(ChronoField.MINUTE_OF_HOUR);
            case "05" -> b.appendValue(ChronoField.SECOND_OF_MINUTE, 2);
            case "5" -> b.appendValue(ChronoField.SECOND_OF_MINUTE);
            case "PM" -> b.appendText(ChronoField.AMPM_OF_DAY, java.util.Map.of(0L, "AM", 1L, "PM"));
            case "pm" -> b.appendText(ChronoField.AMPM_OF_DAY, java.util.Map.of(0L, "am", 1L, "pm"));
            case "Z07:00:00" -> b.appendOffset("+HH:MM:ss", "Z");
            case "-07:00:00" -> b.appendOffset("+HH:MM:ss", "+00:00:00");
            case "Z07:00" -> b.appendOffset("+HH:MM", "Z");
            case "-07:00" -> b.appendOffset("+HH:MM", "+00:00");
            case "Z0700" -> b.appendOffset("+HHMM", "Z");
            case "-0700" -> b.appendOffset("+HHMM", "+0000");
            case "Z07" -> b.appendOffset("+HH", "Z");
            case "-07" -> b.appendOffset("+HH", "+00");
            default -> throw new IllegalStateException("unhandled Go layout token " + t);
        }
    }
}
