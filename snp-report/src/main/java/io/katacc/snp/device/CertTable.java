package io.katacc.snp.device;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The certificate table SNP_GET_EXT_REPORT returns (GHCB spec): entries of {GUID (16 bytes),
 * offset (u32), length (u32)} ended by an all-zero entry; offsets are from the table start.
 */
public record CertTable(List<Entry> entries) {
    public static final UUID VCEK = UUID.fromString("63da758d-e664-4564-adc5-f4b93be8accd");
    public static final UUID VLEK = UUID.fromString("a8074bc2-a25a-483e-aae6-39c045a0b8a1");
    public static final UUID ASK = UUID.fromString("4ab7b379-bbac-4fe4-a02f-05aef327c782");
    public static final UUID ARK = UUID.fromString("c0b406a4-a803-4952-9743-3fb6014cd0ae");
    public static final UUID CRL = UUID.fromString("92f81bc3-5811-4d3d-97ff-d19f88dc67ea");
    private static final int ENTRY = 24;

    public record Entry(UUID guid, byte[] data) {
        public Entry {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    public CertTable {
        entries = List.copyOf(entries);
    }

    public Optional<byte[]> get(UUID guid) {
        return entries.stream().filter(e -> e.guid().equals(guid)).map(Entry::data).findFirst();
    }

    public static CertTable parse(byte[] buf) {
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        List<Entry> out = new ArrayList<>();
        if (buf.length == 0) {
            return new CertTable(out);
        }
        for (int pos = 0;; pos += ENTRY) {
            if (pos + ENTRY > buf.length) {
                throw new IllegalArgumentException("certificate table has no terminating zero entry within "
                        + buf.length + " bytes");
            }
            ByteBuffer g = ByteBuffer.wrap(buf, pos, 16);
            UUID guid = new UUID(g.getLong(), g.getLong());
            long off = Integer.toUnsignedLong(b.getInt(pos + 16));
            long len = Integer.toUnsignedLong(b.getInt(pos + 20));
            if (guid.getMostSignificantBits() == 0 && guid.getLeastSignificantBits() == 0 && off == 0 && len == 0) {
                return new CertTable(out);
            }
            if (off < pos + 2L * ENTRY) {
                throw new IllegalArgumentException("certificate table entry " + guid + " has offset " + off
                        + " inside the table header");
            }
            if (off + len > buf.length) {
                throw new IllegalArgumentException("certificate table entry " + guid + " points past the buffer ("
                        + off + "+" + len + " > " + buf.length + ")");
            }
            out.add(new Entry(guid, Arrays.copyOfRange(buf, (int) off, (int) (off + len))));
        }
    }

    /** Encodes the table the way the hypervisor lays it out (used by tests and simulated hosts). */
    public byte[] toBytes() {
        int header = (entries.size() + 1) * ENTRY;
        int total = header + entries.stream().mapToInt(e -> e.data().length).sum();
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        int off = header;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            b.order(ByteOrder.BIG_ENDIAN).putLong(i * ENTRY, e.guid().getMostSignificantBits())
                    .putLong(i * ENTRY + 8, e.guid().getLeastSignificantBits());
            b.order(ByteOrder.LITTLE_ENDIAN).putInt(i * ENTRY + 16, off).putInt(i * ENTRY + 20, e.data().length);
            b.put(off, e.data());
            off += e.data().length;
        }
        return b.array();
    }
}
