package io.katacc.snp.cli;

import io.katacc.snp.evidence.EvidenceException;
import io.katacc.snp.evidence.SevGuestEvidenceProvider;
import io.katacc.snp.report.AttestationReport;
import io.katacc.snp.report.CpuGeneration;
import io.katacc.snp.report.ReportJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** kcc-snp report: asks the guest firmware for a report, prints it as JSON, writes the raw bytes. */
final class ReportCommand {
    int run(List<String> argv, PrintStream out, PrintStream err) {
        CliArgs a = CliArgs.parse(argv, Set.of("user-data", "out", "vmpl"));
        byte[] userData = a.hex("user-data", 64, true).orElse(new byte[64]);
        int vmpl;
        try {
            vmpl = Integer.parseInt(a.opt("vmpl").orElse("0"));
        } catch (NumberFormatException e) {
            throw new CliArgs.UsageException("--vmpl must be 0..3");
        }
        Path outFile = Path.of(a.opt("out").orElse("report.bin"));
        try {
            var tee = new SevGuestEvidenceProvider(io.katacc.snp.device.SevGuestDevice.DEFAULT_PATH,
                    io.katacc.snp.device.ConfigfsTsmReport.DEFAULT_ROOT, vmpl);
            byte[] raw = tee.report(userData);
            Files.write(outFile, raw);
            out.println(ReportJson.render(AttestationReport.parse(raw), CpuGeneration.MILAN));
            err.println("wrote " + raw.length + " bytes to " + outFile + " (from " + tee.description() + ")");
            return 0;
        } catch (EvidenceException | IllegalArgumentException | IOException e) {
            err.println("FAILED: " + e.getMessage());
            return 1;
        }
    }
}
