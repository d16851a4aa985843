package io.katacc.snp.cli;

import io.katacc.snp.report.AttestationReport;
import io.katacc.snp.verify.ReportVerifier;
import io.katacc.snp.verify.VerificationException;
import io.katacc.snp.verify.VerificationOptions;
import java.io.PrintStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** kcc-snp verify: exit 0 and "OK ..." on success, else exit 1 and a one-line reason. */
final class VerifyCommand {
    int run(List<String> argv, PrintStream out, PrintStream err) {
        CliArgs a = CliArgs.parse(argv, Set.of("cert", "chain", "host-data", "report-data", "measurement", "min-tcb",
                "require-no-debug"));
        if (a.positional().size() != 1) {
            throw new CliArgs.UsageException("verify takes one REPORT.bin");
        }
        VerificationOptions o = VerificationOptions.defaults();
        o = a.hex("host-data", 32, false).map(o::withHostData).orElse(o);
        o = a.hex("report-data", 64, true).map(o::withReportData).orElse(o);
        o = a.hex("measurement", 48, false).map(o::withMeasurement).orElse(o);
        o = a.opt("min-tcb").map(Inputs::tcb).map(o::withMinimumTcb).orElse(o);
        if (Boolean.parseBoolean(a.opt("require-no-debug").orElse("false"))) {
            o = o.withDebugDisabled();
        }
        String cert = Inputs.required(a, "cert");
        String chain = Inputs.required(a, "chain");
        try {
            AttestationReport r = ReportVerifier.amd().verify(Inputs.read(a.positional().getFirst(), "report"),
                    Inputs.cert(cert), Inputs.chain(chain), o);
            out.println("OK: report v" + r.version() + " verified, measurement "
                    + HexFormat.of().formatHex(r.measurement()));
            return 0;
        } catch (VerificationException e) {
            err.println("FAILED (" + e.reason() + "): " + e.getMessage());
            return 1;
        }
    }
}
