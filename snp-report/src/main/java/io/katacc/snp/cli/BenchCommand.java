package io.katacc.snp.cli;

import io.katacc.snp.verify.ReportVerifier;
import io.katacc.snp.verify.TrustedKey;
import io.katacc.snp.verify.VerificationException;
import io.katacc.snp.verify.VerificationOptions;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * kcc-snp bench: report verifications per second on one thread with the chain checked once
 * (a cached TrustedKey), which is what a verifier serving many reports from one chip does.
 */
final class BenchCommand {
    int run(List<String> argv, PrintStream out, PrintStream err) {
        CliArgs a = CliArgs.parse(argv, Set.of("cert", "chain", "seconds"));
        if (a.positional().size() != 1) {
            throw new CliArgs.UsageException("bench takes one REPORT.bin");
        }
        double seconds = Double.parseDouble(a.opt("seconds").orElse("5"));
        try {
            byte[] raw = Inputs.read(a.positional().getFirst(), "report");
            ReportVerifier v = ReportVerifier.amd();
            long t0 = System.nanoTime();
            TrustedKey key = v.trust(Inputs.cert(Inputs.required(a, "cert")), Inputs.chain(Inputs.required(a, "chain")),
                    Instant.now());
            long chainNanos = System.nanoTime() - t0;
            VerificationOptions o = VerificationOptions.defaults();
            loop(v, raw, key, o, (long) (seconds * 0.4e9)); // warm-up
            long start = System.nanoTime();
            long n = loop(v, raw, key, o, (long) (seconds * 1e9));
            double s = (System.nanoTime() - start) / 1e9;
            out.printf("chain check (once): %.1f ms%n", chainNanos / 1e6);
            out.printf("report verifications: %d in %.2f s = %.0f/s (1 thread, cached chain)%n", n, s, n / s);
            var cert = Inputs.cert(Inputs.required(a, "cert"));
            var chain = Inputs.chain(Inputs.required(a, "chain"));
            long end = System.nanoTime() + (long) (seconds * 0.4e9);
            long m = 0;
            long fullStart = System.nanoTime();
            while (System.nanoTime() < end) {
                v.verify(raw, cert, chain, o);
                m++;
            }
            double fs = (System.nanoTime() - fullStart) / 1e9;
            out.printf("full verifications (chain each time): %d in %.2f s = %.0f/s%n", m, fs, m / fs);
            return 0;
        } catch (VerificationException e) {
            err.println("FAILED (" + e.reason() + "): " + e.getMessage());
            return 1;
        }
    }

    private static long loop(ReportVerifier v, byte[] raw, TrustedKey key, VerificationOptions o, long nanos)
            throws VerificationException {
        long end = System.nanoTime() + nanos;
        long n = 0;
        while (System.nanoTime() < end) {
            v.verify(raw, key, o);
            n++;
        }
        return n;
    }
}
