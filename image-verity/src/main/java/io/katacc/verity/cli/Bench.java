package io.katacc.verity.cli;

import io.katacc.verity.erofs.ErofsBuilder;
import io.katacc.verity.hashtree.VerityFormatter;
import io.katacc.verity.tar.LayerReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * kcc-verity bench [--size-mib N] [--tree DIR] [--work DIR]: hash tree of an N MiB file (ours with 1 and
 * all threads vs veritysetup format), then EROFS of DIR (ours from its tar vs mkfs.erofs on the extracted
 * copy). Best of 3 runs each, page cache warm.
 */
final class Bench {
    private Bench() {
    }

    static int run(String[] args, PrintStream out) throws IOException {
        long mib = 1024;
        Path tree = Path.of("/usr/share/doc");
        Path work = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--size-mib" -> mib = Long.parseLong(args[++i]);
                case "--tree" -> tree = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown bench option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory(work, "kcc-verity-bench-");
        try {
            verity(dir, mib, out);
            erofs(dir, tree, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return 0;
    }

    private interface Job {
        void run() throws Exception;
    }

    private static double best(Job job) throws IOException {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            try {
                job.run();
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    private static void verity(Path dir, long mib, PrintStream out) throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        byte[] buf = new byte[1 << 20];
        Random r = new Random(1);
        try (OutputStream o = Files.newOutputStream(data)) {
            for (long i = 0; i < mib; i++) {
                r.nextBytes(buf);
                o.write(buf);
            }
        }
        Path hash = dir.resolve("hash");
        byte[] salt = new byte[32];
        int cores = Runtime.getRuntime().availableProcessors();
        double one = best(() -> new VerityFormatter(1).writeSeparate(data, mib << 20, hash, salt));
        double all = best(() -> new VerityFormatter(cores).writeSeparate(data, mib << 20, hash, salt));
        Path theirs = dir.resolve("hash-vs");
        double vs = best(() -> exec(List.of("veritysetup", "format", "--salt=" + "00".repeat(32),
                data.toString(), theirs.toString())));
        out.printf("verity %d MiB: veritysetup format %.2f s; ours 1 thread %.2f s (%.2fx); ours %d threads %.2f s (%.2fx)%n",
                mib, vs, one, vs / one, cores, all, vs / all);
        Files.delete(data);
    }

    private static void erofs(Path dir, Path tree, PrintStream out) throws IOException, InterruptedException {
        Path tar = dir.resolve("tree.tar");
        exec(List.of("tar", "-C", tree.toString(), "-cf", tar.toString(), "."));
        Path extracted = Files.createDirectories(dir.resolve("extracted"));
        exec(List.of("tar", "-C", extracted.toString(), "-xpf", tar.toString()));
        Path ours = dir.resolve("ours.erofs");
        Path theirs = dir.resolve("mkfs.erofs");
        double mkfs = best(() -> {
            Files.deleteIfExists(theirs);
            exec(List.of("mkfs.erofs", "--quiet", theirs.toString(), extracted.toString()));
        });
        double us = best(() -> {
            try (InputStream in = Files.newInputStream(tar);
                 FileChannel ch = FileChannel.open(ours, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING)) {
                ErofsBuilder b = new ErofsBuilder(ch);
                LayerReader.read(in, b);
                b.finish();
            }
        });
        long entries;
        try (Stream<Path> s = Files.walk(extracted)) {
            entries = s.count();
        }
        out.printf("erofs %s (%d entries, %d MiB tar): mkfs.erofs %.2f s; ours from tar %.2f s (%.2fx); image %d vs %d KiB%n",
                tree, entries, Files.size(tar) >> 20, mkfs, us, mkfs / us, Files.size(ours) >> 10,
                Files.size(theirs) >> 10);
    }

    private static void exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String o = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + o);
        }
    }
}
