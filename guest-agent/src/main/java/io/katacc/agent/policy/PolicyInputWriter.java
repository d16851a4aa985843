package io.katacc.agent.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import io.katacc.agent.api.CopyFileRequest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns an agent request into the {@code input} document Kata's policies read. The Rust agent
 * serialises its rust-protobuf structs with serde: every field present, proto field names
 * ({@code type} becomes {@code type_}), unset messages as {@code null}, enums as numbers,
 * bytes as arrays of numbers, oneofs as {@code {"variant": value}}.
 */
public final class PolicyInputWriter {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final PolicyInputShape shape;

    public PolicyInputWriter(PolicyInputShape shape) {
        this.shape = shape;
    }

    public PolicyInputShape shape() {
        return shape;
    }

    public ObjectNode toJson(Message message) {
        if (message instanceof CopyFileRequest copy) {
            return copyFile(copy);
        }
        return object(message);
    }

    private ObjectNode object(Message message) {
        ObjectNode node = F.objectNode();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            OneofDescriptor oneof = field.getRealContainingOneof();
            if (oneof != null) {
                continue;
            }
            if (!PolicyFieldNames.present(shape, field)) {
                continue;
            }
            node.set(PolicyFieldNames.jsonName(shape, field), fieldValue(message, field));
        }
        for (OneofDescriptor oneof : message.getDescriptorForType().getRealOneofs()) {
            FieldDescriptor set = message.getOneofFieldDescriptor(oneof);
            if (set == null) {
                node.putNull(oneof.getName());
            } else {
                ObjectNode variant = F.objectNode();
                variant.set(PolicyFieldNames.jsonName(shape, set), scalar(set, message.getField(set)));
                node.set(oneof.getName(), variant);
            }
        }
        return node;
    }

    private JsonNode fieldValue(Message message, FieldDescriptor field) {
        if (field.isMapField()) {
            ObjectNode map = F.objectNode();
            FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
            for (Object o : (List<?>) message.getField(field)) {
                MapEntry<?, ?> e = (MapEntry<?, ?>) o;
                map.set(String.valueOf(e.getKey()), single(valueField, e.getValue()));
            }
            return map;
        }
        if (field.isRepeated()) {
            ArrayNode arr = F.arrayNode();
            for (Object o : (List<?>) message.getField(field)) {
                arr.add(single(field, o));
            }
            return arr;
        }
        if (field.hasPresence() && !message.hasField(field)) {
            return F.nullNode();
        }
        return single(field, message.getField(field));
    }

    private JsonNode single(FieldDescriptor field, Object value) {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            return object((Message) value);
        }
        return scalar(field, value);
    }

    private static JsonNode scalar(FieldDescriptor field, Object value) {
        return switch (field.getType()) {
            case BOOL -> F.booleanNode((Boolean) value);
            case STRING -> F.textNode((String) value);
            case BYTES -> {
                ArrayNode arr = F.arrayNode();
                for (byte b : ((ByteString) value).toByteArray()) {
                    arr.add(b & 0xff);
                }
                yield arr;
            }
            case ENUM -> F.numberNode(((com.google.protobuf.Descriptors.EnumValueDescriptor) value).getNumber());
            case UINT32, FIXED32 -> num(Integer.toUnsignedLong((Integer) value));
            case INT32, SINT32, SFIXED32 -> F.numberNode((Integer) value);
            case UINT64, FIXED64 -> {
                long v = (Long) value;
                yield v >= 0 ? num(v) : F.numberNode(new BigInteger(Long.toUnsignedString(v)));
            }
            case INT64, SINT64, SFIXED64 -> num((Long) value);
            case DOUBLE -> F.numberNode((Double) value);
            case FLOAT -> F.numberNode((Float) value);
            default -> throw new IllegalArgumentException("unsupported field type " + field.getType()
                    + " in " + field.getFullName());
        };
    }

    // one node type per value, as a JSON parser would produce it, so documents compare equal
    private static JsonNode num(long v) {
        return v == (int) v ? F.numberNode((int) v) : F.numberNode(v);
    }

    /** CopyFileRequest never reaches the rules with its data bytes; see {@link PolicyInputShape.CopyFileShape}. */
    private ObjectNode copyFile(CopyFileRequest req) {
        ObjectNode node = F.objectNode();
        node.put("path", req.getPath());
        boolean symlink = (req.getFileMode() & FileModes.S_IFMT) == FileModes.S_IFLNK;
        String target = req.getData().toString(StandardCharsets.UTF_8);
        if (shape.copyFile() == PolicyInputShape.CopyFileShape.FILE_TYPE) {
            node.put("file_type", FileModes.fileType(req.getFileMode()));
            if (symlink) {
                node.put("symlink_target", target);
            } else {
                node.putNull("symlink_target");
            }
        }
        node.set("file_size", num(req.getFileSize()));
        node.set("file_mode", num(Integer.toUnsignedLong(req.getFileMode())));
        node.set("dir_mode", num(Integer.toUnsignedLong(req.getDirMode())));
        node.put("uid", req.getUid());
        node.put("gid", req.getGid());
        node.set("offset", num(req.getOffset()));
        if (shape.copyFile() == PolicyInputShape.CopyFileShape.SYMLINK_SRC) {
            node.put("symlink_src", symlink ? target : "");
        }
        return node;
    }
}
