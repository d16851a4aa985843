package io.katacc.agent.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.katacc.agent.api.CopyFileRequest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads a policy input document back into the request it describes (the inverse of
 * {@link PolicyInputWriter}); used to replay recorded agent traffic. Strict: an unknown key or a
 * value of the wrong type is an {@link IllegalArgumentException} naming the JSON path.
 */
public final class PolicyInputReader {

    private final PolicyInputShape shape;

    public PolicyInputReader(PolicyInputShape shape) {
        this.shape = shape;
    }

    @SuppressWarnings("unchecked")
    public <T extends Message> T read(JsonNode json, T prototype) {
        if (prototype instanceof CopyFileRequest) {
            return (T) copyFile(json);
        }
        Message.Builder builder = prototype.newBuilderForType();
        fill(builder, json, "$");
        return (T) builder.build();
    }

    private void fill(Message.Builder builder, JsonNode json, String path) {
        Descriptor type = builder.getDescriptorForType();
        if (!json.isObject()) {
            throw new IllegalArgumentException(path + ": expected an object for " + type.getFullName());
        }
        Map<String, FieldDescriptor> byName = new HashMap<>();
        Map<String, OneofDescriptor> oneofs = new HashMap<>();
        for (FieldDescriptor f : type.getFields()) {
            if (f.getRealContainingOneof() == null && PolicyFieldNames.present(shape, f)) {
                byName.put(PolicyFieldNames.jsonName(shape, f), f);
            }
        }
        for (OneofDescriptor o : type.getRealOneofs()) {
            oneofs.put(o.getName(), o);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = path + "." + e.getKey();
            FieldDescriptor field = byName.get(e.getKey());
            if (field != null) {
                setField(builder, field, e.getValue(), where);
            } else if (oneofs.containsKey(e.getKey())) {
                setOneof(builder, oneofs.get(e.getKey()), e.getValue(), where);
            } else {
                throw new IllegalArgumentException(where + ": no such field in " + type.getFullName()
                        + " (policy input shape " + shape.name() + ")");
            }
        }
    }

    private void setOneof(Message.Builder builder, OneofDescriptor oneof, JsonNode value, String path) {
        if (value.isNull()) {
            return;
        }
        if (!value.isObject() || value.size() != 1) {
            throw new IllegalArgumentException(path + ": a oneof is {\"<variant>\": value} or null");
        }
        Map.Entry<String, JsonNode> variant = value.fields().next();
        for (FieldDescriptor f : oneof.getFields()) {
            if (PolicyFieldNames.jsonName(shape, f).equals(variant.getKey())) {
                builder.setField(f, single(builder, f, variant.getValue(), path + "." + variant.getKey()));
                return;
            }
        }
        throw new IllegalArgumentException(path + ": unknown variant '" + variant.getKey() + "'");
    }

    private void setField(Message.Builder builder, FieldDescriptor field, JsonNode value, String path) {
        if (field.isMapField()) {
            if (!value.isObject()) {
                throw new IllegalArgumentException(path + ": expected an object (map)");
            }
            Descriptor entryType = field.getMessageType();
            FieldDescriptor keyField = entryType.findFieldByName("key");
            FieldDescriptor valueField = entryType.findFieldByName("value");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (keyField.getType() != FieldDescriptor.Type.STRING) {
                    throw new IllegalArgumentException(path + ": only string map keys are supported");
                }
                DynamicMessage.Builder entry = DynamicMessage.newBuilder(entryType);
                entry.setField(keyField, e.getKey());
                entry.setField(valueField, single(entry, valueField, e.getValue(), path + "." + e.getKey()));
                builder.addRepeatedField(field, entry.build());
            }
            return;
        }
        if (field.isRepeated()) {
            if (!value.isArray()) {
                throw new IllegalArgumentException(path + ": expected an array");
            }
            int i = 0;
            for (JsonNode item : value) {
                builder.addRepeatedField(field, single(builder, field, item, path + "[" + i++ + "]"));
            }
            return;
        }
        if (value.isNull()) {
            if (field.hasPresence()) {
                return;
            }
            throw new IllegalArgumentException(path + ": null is not allowed for " + field.getType());
        }
        builder.setField(field, single(builder, field, value, path));
    }

    private Object single(Message.Builder parent, FieldDescriptor field, JsonNode value, String path) {
        switch (field.getType()) {
            case MESSAGE -> {
                Message.Builder sub = parent.newBuilderForField(field);
                fill(sub, value, path);
                return sub.build();
            }
            case BOOL -> {
                require(value.isBoolean(), path, "a boolean");
                return value.booleanValue();
            }
            case STRING -> {
                require(value.isTextual(), path, "a string");
                return value.textValue();
            }
            case BYTES -> {
                require(value.isArray(), path, "an array of byte values");
                byte[] bytes = new byte[value.size()];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) integer(value.get(i), path + "[" + i + "]", 0, 255);
                }
                return ByteString.copyFrom(bytes);
            }
            case ENUM -> {
                int n = (int) integer(value, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
                EnumValueDescriptor ev = field.getEnumType().findValueByNumber(n);
                if (ev == null) {
                    throw new IllegalArgumentException(path + ": " + n + " is not a value of "
                            + field.getEnumType().getFullName());
                }
                return ev;
            }
            case UINT32, FIXED32 -> {
                return (int) integer(value, path, 0, 0xffff_ffffL);
            }
            case INT32, SINT32, SFIXED32 -> {
                return (int) integer(value, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
            case UINT64, FIXED64 -> {
                require(value.isIntegralNumber(), path, "an integer");
                BigInteger big = value.bigIntegerValue();
                if (big.signum() < 0 || big.bitLength() > 64) {
                    throw new IllegalArgumentException(path + ": " + big + " is out of range for uint64");
                }
                return big.longValue();
            }
            case INT64, SINT64, SFIXED64 -> {
                return integer(value, path, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            case DOUBLE -> {
                require(value.isNumber(), path, "a number");
                return value.doubleValue();
            }
            case FLOAT -> {
                require(value.isNumber(), path, "a number");
                return value.floatValue();
            }
            default -> throw new IllegalArgumentException(path + ": unsupported type " + field.getType());
        }
    }

    private static long integer(JsonNode value, String path, long min, long max) {
        require(value.isIntegralNumber() && value.canConvertToLong(), path, "an integer");
        long v = value.longValue();
        if (v < min || v > max) {
            throw new IllegalArgumentException(path + ": " + v + " is out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    private static void require(boolean ok, String path, String what) {
        if (!ok) {
            throw new IllegalArgumentException(path + ": expected " + what);
        }
    }

    private CopyFileRequest copyFile(JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("$: expected an object for grpc.CopyFileRequest");
        }
        CopyFileRequest.Builder b = CopyFileRequest.newBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = "$." + e.getKey();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "path" -> b.setPath(text(v, p));
                case "file_size" -> b.setFileSize(integer(v, p, Long.MIN_VALUE, Long.MAX_VALUE));
                case "file_mode" -> b.setFileMode((int) integer(v, p, 0, 0xffff_ffffL));
                case "dir_mode" -> b.setDirMode((int) integer(v, p, 0, 0xffff_ffffL));
                case "uid" -> b.setUid((int) integer(v, p, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case "gid" -> b.setGid((int) integer(v, p, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case "offset" -> b.setOffset(integer(v, p, Long.MIN_VALUE, Long.MAX_VALUE));
                case "symlink_src" -> {
                    requireShape(PolicyInputShape.CopyFileShape.SYMLINK_SRC, p);
                    b.setData(ByteString.copyFrom(text(v, p), StandardCharsets.UTF_8));
                }
                case "symlink_target" -> {
                    requireShape(PolicyInputShape.CopyFileShape.FILE_TYPE, p);
                    if (!v.isNull()) {
                        b.setData(ByteString.copyFrom(text(v, p), StandardCharsets.UTF_8));
                    }
                }
                case "file_type" -> requireShape(PolicyInputShape.CopyFileShape.FILE_TYPE, p);
                default -> throw new IllegalArgumentException(p + ": no such field in the policy view of "
                        + "grpc.CopyFileRequest (shape " + shape.name() + ")");
            }
        }
        CopyFileRequest req = b.build();
        if (json.has("file_type") && !FileModes.fileType(req.getFileMode()).equals(json.get("file_type").asText())) {
            throw new IllegalArgumentException("$.file_type: '" + json.get("file_type").asText()
                    + "' contradicts file_mode " + Integer.toOctalString(req.getFileMode()));
        }
        return req;
    }

    private void requireShape(PolicyInputShape.CopyFileShape wanted, String path) {
        if (shape.copyFile() != wanted) {
            throw new IllegalArgumentException(path + ": not part of CopyFileRequest in shape " + shape.name());
        }
    }

    private static String text(JsonNode v, String path) {
        require(v.isTextual(), path, "a string");
        return v.textValue();
    }
}
