package io.katacc.verity.erofs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** One xattr as an EROFS entry: {u8 name_len, u8 name_index, le16 value_size, name, value}, 4-byte padded. */
record Xattr(XattrName name, byte[] value) implements Comparable<Xattr> {
    Xattr {
        if (name.suffix().length > 255) {
            throw new IllegalArgumentException("xattr name too long (" + name.suffix().length + " bytes)");
        }
        if (value.length > 65535) {
            throw new IllegalArgumentException("xattr value too long (" + value.length + " bytes)");
        }
    }

    int entrySize() {
        return ErofsLayout.align(ErofsLayout.XATTR_ENTRY_HEADER + name.suffix().length + value.length, 4);
    }

    void writeTo(ByteBuffer b) {
        int start = b.position();
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) name.suffix().length).put((byte) name.index()).putShort((short) value.length);
        b.put(name.suffix()).put(value);
        b.position(start + entrySize());
    }

    @Override
    public int compareTo(Xattr o) {
        int c = name.compareTo(o.name);
        return c != 0 ? c : Arrays.compareUnsigned(value, o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Xattr x && x.name.equals(name) && Arrays.equals(x.value, value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }
}
