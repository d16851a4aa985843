package io.katacc.policy.eval;

import io.katacc.policy.value.Value;

/** Shared JSON helper for tests in other packages. */
public final class LanguageTestAccess {
    private LanguageTestAccess() {}

    public static Value json(String s) {
        return LanguageTest.json(s);
    }
}
