package io.katacc.snp.cli;

import io.katacc.snp.report.AttestationReport;
import io.katacc.snp.report.CpuGeneration;
import io.katacc.snp.report.ReportFormatException;
import io.katacc.snp.report.ReportJson;
import io.katacc.snp.verify.VerificationException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** kcc-snp show: a report file as JSON (no verification). */
final class ShowCommand {
    int run(List<String> argv, PrintStream out, PrintStream err) {
        CliArgs a = CliArgs.parse(argv, Set.of());
        if (a.positional().size() != 1) {
            throw new CliArgs.UsageException("show takes one REPORT.bin");
        }
        try {
            AttestationReport r = AttestationReport.parse(Inputs.read(a.positional().getFirst(), "report"));
            out.println(ReportJson.render(r, CpuGeneration.MILAN));
            return 0;
        } catch (ReportFormatException | VerificationException e) {
            err.println("FAILED: " + e.getMessage());
            return 1;
        }
    }
}
