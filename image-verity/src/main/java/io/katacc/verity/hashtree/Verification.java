package io.katacc.verity.hashtree;

/** Outcome of checking an image against a root hash; {@code problem} names the first bad block. */
public record Verification(boolean intact, String problem) {
    static Verification ok() {
        return new Verification(true, "");
    }

    static Verification bad(String problem) {
        return new Verification(false, problem);
    }
}
