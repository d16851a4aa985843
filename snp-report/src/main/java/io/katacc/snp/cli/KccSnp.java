package io.katacc.snp.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** Entry point of kcc-snp: report | verify | show | bench. */
public final class KccSnp {
    static final String USAGE = """
            usage: kcc-snp report [--user-data HEX] [--out FILE] [--vmpl N]
                   kcc-snp verify REPORT.bin --cert VCEK.der --chain ASK_ARK.pem [--host-data HEX]
                                  [--report-data HEX] [--measurement HEX] [--min-tcb BL.TEE.SNP.UCODE[.FMC]]
                                  [--require-no-debug true]
                   kcc-snp show REPORT.bin
                   kcc-snp bench REPORT.bin --cert VCEK.der --chain ASK_ARK.pem [--seconds N]""";

    private KccSnp() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** Exit status: 0 success, 1 failed (verification or device), 2 usage. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.getFirst()) {
                case "report" -> new ReportCommand().run(rest, out, err);
                case "verify" -> new VerifyCommand().run(rest, out, err);
                case "show" -> new ShowCommand().run(rest, out, err);
                case "bench" -> new BenchCommand().run(rest, out, err);
                case "-h", "--help", "help" -> {
                    out.println(USAGE);
                    yield 0;
                }
                default -> throw new CliArgs.UsageException("unknown command '" + args.getFirst() + "'");
            };
        } catch (CliArgs.UsageException e) {
            err.println("kcc-snp: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }
}
