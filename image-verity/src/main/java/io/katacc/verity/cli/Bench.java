package io.katacc.verity.cli;

import java.io.PrintStream;

/** Placeholder replaced below. */
final class Bench {
    private Bench() {
    }

    static int run(String[] args, PrintStream out) {
        throw new UnsupportedOperationException("bench not built yet");
    }
}
