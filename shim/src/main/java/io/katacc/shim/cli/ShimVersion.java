package io.katacc.shim.cli;

/** What {@code -v} prints, in the layout containerd's shims use. */
public final class ShimVersion {
    public static final String BINARY = "containerd-shim-kata-cc-v2";

    private ShimVersion() {
    }

    public static String version() {
        String v = ShimVersion.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    public static String text() {
        return BINARY + ":\n  Version:  " + version() + "\n  Runtime:  Java " + Runtime.version() + "\n";
    }
}
