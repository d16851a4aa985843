package io.katacc.verity.tar;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Watches the tar byte stream on its way to commons-compress and keeps the raw bytes of PAX
 * {@code SCHILY.xattr.*} values, which commons-compress decodes as UTF-8 (lossy for binary values such as
 * security.capability). Never fails the read: on anything it does not understand it stops sniffing.
 */
final class PaxXattrSniffer extends FilterInputStream {
    private static final int BLOCK = 512;
    private static final int MAX_CAPTURE = 1 << 20;

    private final byte[] header = new byte[BLOCK];
    private int headerFill;
    private long dataLeft;
    private long padLeft;
    private boolean extReading; // old GNU sparse extension headers come before the data
    private ByteArrayOutputStream capture;
    private Map<String, byte[]> pending;
    private Map<String, byte[]> current = Map.of();
    private boolean broken;

    PaxXattrSniffer(InputStream in) {
        super(in);
    }

    /** Raw xattrs of the entry whose header was read last (empty if none or sniffing gave up). */
    Map<String, byte[]> currentXattrs() {
        return broken ? null : current;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            feed(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            feed(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void feed(byte[] b, int off, int len) {
        if (broken) {
            return;
        }
        try {
            while (len > 0) {
                if (dataLeft > 0) {
                    int n = (int) Math.min(len, dataLeft);
                    if (capture != null) {
                        capture.write(b, off, n);
                    }
                    dataLeft -= n;
                    off += n;
                    len -= n;
                    if (dataLeft == 0 && capture != null) {
                        pending = parsePax(capture.toByteArray());
                        capture = null;
                    }
                } else if (padLeft > 0) {
                    int n = (int) Math.min(len, padLeft);
                    padLeft -= n;
                    off += n;
                    len -= n;
                } else {
                    int n = Math.min(len, BLOCK - headerFill);
                    System.arraycopy(b, off, header, headerFill, n);
                    headerFill += n;
                    off += n;
                    len -= n;
                    if (headerFill == BLOCK) {
                        headerFill = 0;
                        onHeader();
                    }
                }
            }
        } catch (RuntimeException e) {
            broken = true;
        }
    }

    private void onHeader() {
        if (extReading) {
            extReading = header[504] != 0;
            if (!extReading) {
                dataLeft = deferred[0];
                padLeft = deferred[1];
                deferred = null;
            }
            return;
        }
        boolean zero = true;
        for (byte x : header) {
            if (x != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return;
        }
        byte type = header[156];
        long size = size();
        dataLeft = size;
        padLeft = (BLOCK - size % BLOCK) % BLOCK;
        switch (type) {
            case 'x' -> {
                if (size > MAX_CAPTURE) {
                    broken = true;
                    return;
                }
                capture = new ByteArrayOutputStream((int) size);
                if (size == 0) {
                    pending = Map.of();
                    capture = null;
                }
            }
            case 'g', 'L', 'K' -> {
            }
            default -> {
                current = pending == null ? Map.of() : pending;
                pending = null;
                if (type == 'S' && header[482] != 0) {
                    extReading = true; // extension headers precede the data
                    long data = dataLeft;
                    long pad = padLeft;
                    dataLeft = 0;
                    padLeft = 0;
                    deferred = new long[] {data, pad};
                }
            }
        }
    }

    private long[] deferred;

    private long size() {
        if ((header[124] & 0x80) != 0) {
            long v = 0;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (header[i] & 0xff);
            }
            return v;
        }
        String s = new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", " ").trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    /** PAX records: "LEN KEY=VALUE\n", LEN counting the whole record; values are raw bytes. */
    private static Map<String, byte[]> parsePax(byte[] d) {
        Map<String, byte[]> out = new TreeMap<>();
        int p = 0;
        while (p < d.length) {
            int sp = p;
            while (d[sp] != ' ') {
                sp++;
            }
            int len = Integer.parseInt(new String(d, p, sp - p, StandardCharsets.US_ASCII));
            int eq = sp + 1;
            while (d[eq] != '=') {
                eq++;
            }
            String key = new String(d, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            if (key.startsWith("SCHILY.xattr.")) {
                out.put(key.substring("SCHILY.xattr.".length()), Arrays.copyOfRange(d, eq + 1, p + len - 1));
            }
            p += len;
        }
        return out;
    }
}
