package io.katacc.policy.conformance;

import java.util.ArrayList;
import java.util.List;

/** Tally of a conformance run, with a line per failure and per skip (with its reason). */
public final class Summary {
    public int passed;
    public int failed;
    public int skipped;
    public final List<String> failures = new ArrayList<>();
    public final List<String> skips = new ArrayList<>();

    void pass() {
        passed++;
    }

    void fail(String what) {
        failed++;
        failures.add(what);
    }

    void skip(String what) {
        skipped++;
        skips.add(what);
    }

    /** The last line the CLI prints. */
    public String line() {
        return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }
}
