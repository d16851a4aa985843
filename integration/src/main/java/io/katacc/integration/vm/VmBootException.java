package io.katacc.integration.vm;

/** The VM did not reach an expected state; carries the console and QEMU output for diagnosis. */
public final class VmBootException extends RuntimeException {
    public VmBootException(String message, GuestVm vm) {
        super(message + "\n--- QEMU output ---\n" + tail(vm.qemuOutput()) + "\n--- console tail ---\n"
                + tail(vm.console()));
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
