package io.katacc.shim.hypervisor.clh;

/** Status and body of one HTTP exchange with the VMM. */
public record HttpResponse(int status, String body) {
    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
