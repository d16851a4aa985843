package io.katacc.verity.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.verity.hashtree.Verification;
import io.katacc.verity.hashtree.VerityVerifier;
import io.katacc.verity.layer.LayerImage;
import io.katacc.verity.layer.LayerImageBuilder;
import io.katacc.verity.tar.LayerFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** kcc-verity build|verify|bench. Exit 0 success, 1 verification failed / bad input, 2 usage. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            return usage(err);
        }
        try {
            return switch (args[0]) {
                case "build" -> build(args, out, err);
                case "verify" -> verify(args, out, err);
                case "bench" -> Bench.run(args, out);
                default -> usage(err);
            };
        } catch (LayerFormatException e) {
            err.println("kcc-verity: bad layer: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("kcc-verity: " + e.getMessage());
            return 1;
        }
    }

    private static int usage(PrintStream err) {
        err.println("""
                usage: kcc-verity build LAYER.tar[.gz|.zst] -o LAYER.img [--salt HEX]
                       kcc-verity verify LAYER.img ROOTHASH [--hash-offset BYTES]
                       kcc-verity bench [--size-mib N] [--tree DIR]""");
        return 2;
    }

    private static int build(String[] args, PrintStream out, PrintStream err) throws IOException {
        Path in = null;
        Path img = null;
        byte[] salt = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "-o" -> img = Path.of(args[++i]);
                case "--salt" -> salt = HexFormat.of().parseHex(args[++i]);
                default -> in = Path.of(args[i]);
            }
        }
        if (in == null || img == null) {
            return usage(err);
        }
        LayerImage li;
        try (InputStream s = Files.newInputStream(in)) {
            li = new LayerImageBuilder().build(s, img, salt);
        }
        out.println(new ObjectMapper().writeValueAsString(li.verity().toJsonMap()));
        return 0;
    }

    private static int verify(String[] args, PrintStream out, PrintStream err) throws IOException {
        if (args.length < 3) {
            return usage(err);
        }
        Path img = Path.of(args[1]);
        byte[] root = HexFormat.of().parseHex(args[2]);
        long offset = -1;
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("--hash-offset")) {
                offset = Long.parseLong(args[++i]);
            }
        }
        if (offset < 0) {
            offset = erofsBytes(img);
        }
        Verification v = new VerityVerifier().verify(img, offset, root);
        if (v.intact()) {
            out.println("ok: " + img + " matches root hash " + args[2]);
            return 0;
        }
        err.println("kcc-verity: verification FAILED: " + v.problem());
        return 1;
    }

    /** The hash area of our images starts right after the EROFS blocks, which the EROFS superblock counts. */
    static long erofsBytes(Path img) throws IOException {
        try (FileChannel ch = FileChannel.open(img)) {
            ByteBuffer sb = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(sb, 1024);
            if (sb.getInt(0) != 0xE0F5E1E2) {
                throw new IOException(img + " has no EROFS superblock; pass --hash-offset");
            }
            return Integer.toUnsignedLong(sb.getInt(36)) << sb.get(12);
        }
    }
}
