package io.katacc.snp.cli;

import io.katacc.snp.report.TcbVersion;
import io.katacc.snp.verify.CertificateChain;
import io.katacc.snp.verify.Certificates;
import io.katacc.snp.verify.Reason;
import io.katacc.snp.verify.VerificationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/** File inputs shared by the commands; unreadable files become MALFORMED_INPUT failures. */
final class Inputs {
    private Inputs() {
    }

    static byte[] read(String path, String what) throws VerificationException {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new VerificationException(Reason.MALFORMED_INPUT, "cannot read " + what + " " + path + ": " + e);
        }
    }

    static X509Certificate cert(String path) throws VerificationException {
        return Certificates.parseOne(read(path, "certificate"), path);
    }

    static CertificateChain chain(String path) throws VerificationException {
        return CertificateChain.parse(read(path, "chain"));
    }

    static String required(CliArgs a, String name) {
        return a.opt(name).orElseThrow(() -> new CliArgs.UsageException("--" + name + " is required"));
    }

    /** "BL.TEE.SNP.UCODE" or "BL.TEE.SNP.UCODE.FMC" (decimal SPLs). */
    static TcbVersion.Parts tcb(String s) {
        String[] p = s.split("\\.");
        if (p.length != 4 && p.length != 5) {
            throw new CliArgs.UsageException("--min-tcb must be BL.TEE.SNP.UCODE[.FMC], got '" + s + "'");
        }
        try {
            int[] v = java.util.Arrays.stream(p).mapToInt(Integer::parseInt).toArray();
            return new TcbVersion.Parts(p.length == 5 ? v[4] : 0, v[0], v[1], v[2], v[3]);
        } catch (IllegalArgumentException e) {
            throw new CliArgs.UsageException("--min-tcb: " + e.getMessage());
        }
    }
}
