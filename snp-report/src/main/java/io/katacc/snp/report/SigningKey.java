package io.katacc.snp.report;

/** Which key signed the report (SIGNING_KEY, bits 4:2 of the flags word at 0x48). */
public enum SigningKey {
    VCEK(0), VLEK(1), NONE(7);

    private final int code;

    SigningKey(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static SigningKey fromCode(int code) {
        for (SigningKey k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new ReportFormatException("SIGNING_KEY " + code + " is reserved (expected 0 VCEK, 1 VLEK or 7 none)");
    }
}
