package io.vecgrad.nn;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, so state moves between vecgrad and PyTorch/Hugging Face tools. Checked by hand against
 * the reference Python package (safetensors 0.8.0, {@code safetensors.numpy}): files written
 * here load there with the same names, dtypes, shapes, values and metadata, and its F32/F64
 * files load here; its F16 files are rejected with a message naming the dtype.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8
 * JSON {@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}} (this writer pads it with spaces so the data starts at a
 * multiple of 8); then the data section: each tensor's elements, row-major, little-endian,
 * at {@code [begin, end)} relative to the start of the data section.
 *
 * <p>Only F32 and F64 tensors are supported. Loading validates the whole header (length,
 * JSON, dtypes, shapes against byte spans, offsets in bounds, non-overlapping and covering the
 * data section exactly, no duplicate names) before creating any tensor, and reports the first
 * problem as an {@link IOException} naming the file.
 */
public final class SafeTensors {
    /** Larger headers are rejected as corrupt (the reference implementation's limit). */
    static final long MAX_HEADER_BYTES = 100_000_000;
    static final String METADATA = "__metadata__";
    /** Each tensor goes through one heap array/ByteBuffer, which caps it at 2 GiB. */
    static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8;
    /** Dtypes of the format this library cannot hold, for a clearer message than "unknown". */
    private static final Set<String> OTHER_DTYPES = Set.of("BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64",
            "I64", "F16", "BF16", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SafeTensors() {}

    /** One tensor's header entry; offsets are relative to the data section. */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    // ================================================================================ write

    /** {@link #save(Map, Map, Path)} without metadata. */
    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, Map.of(), file);
    }

    /**
     * Writes the tensors (in the map's iteration order) and the string metadata to {@code file}
     * atomically: to a temporary file in the same directory that is then moved over
     * {@code file}, so readers see the old file or the complete new one, never a partial one.
     *
     * @param metadata stored as {@code __metadata__} when non-empty
     * @throws IllegalArgumentException if a name is empty or {@code __metadata__}
     * @throws IOException if writing or the move fails (the temporary file is removed)
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject(METADATA);
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException("safetensors: invalid tensor name '" + name + "' for " + file);
            }
            Tensor t = e.getValue();
            ObjectNode n = header.putObject(name);
            n.put("dtype", t.dtype() == DType.F32 ? "F32" : "F64");
            ArrayNode shape = n.putArray("shape");
            for (int d : t.dims()) {
                shape.add(d);
            }
            long bytes = t.numel() * t.dtype().byteSize();
            if (bytes > MAX_TENSOR_BYTES) {
                throw new IllegalArgumentException("safetensors: tensor '" + name + "' has " + bytes
                        + " bytes, more than the " + MAX_TENSOR_BYTES + " this writer handles per tensor");
            }
            long end = offset + bytes;
            n.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) & ~7;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        Path target = file.toAbsolutePath();
        deleteStaleTemporaries(target);
        Path tmp = target.resolveSibling(target.getFileName() + TMP + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(ch, head);
                for (Tensor t : tensors.values()) {
                    writeTensor(ch, t);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(target.getParent());
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Infix of the temporary files {@link #save} writes next to its target. */
    static final String TMP = ".tmp";

    /**
     * Removes {@code <file>.tmp*} left by a save that was killed before its rename (a process
     * that dies cannot clean up). Saves of one file are not concurrent, so any such file is
     * stale.
     */
    static void deleteStaleTemporaries(Path target) throws IOException {
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String prefix = target.getFileName() + TMP;
        try (var s = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Makes the rename durable: on POSIX a rename lives in the directory, which needs its own
     * fsync. Some platforms (Windows) cannot open a directory; the rename is then as durable as
     * that platform makes it.
     */
    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported here: nothing more can be done portably
        }
    }

    /**
     * Writes a tensor's bytes: straight from its memory when it is contiguous on a little-endian
     * machine (no copy), else through one little-endian heap copy.
     */
    private static void writeTensor(FileChannel ch, Tensor t) throws IOException {
        Buffer b = t.buffer();
        long bytes = t.numel() * t.dtype().byteSize();
        if (b.isContiguous() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && bytes > 0) {
            writeFully(ch, b.segment("save").asSlice(b.offset() * t.dtype().byteSize(), bytes).asByteBuffer());
            return;
        }
        writeFully(ch, littleEndianBytes(t));
    }

    private static ByteBuffer littleEndianBytes(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.numel() * t.dtype().byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.F32) {
            b.asFloatBuffer().put(t.toFloatArray());
        } else {
            b.asDoubleBuffer().put(t.toDoubleArray());
        }
        return b;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    // ================================================================================= read

    /**
     * Reads every tensor of a safetensors file, in header order, as new leaf tensors (not
     * requiring grad).
     *
     * @throws IOException if the file cannot be read, or (naming the file and the problem) if
     *     it is truncated, its header is invalid, a dtype is not F32/F64, or the offsets do not
     *     tile the data section; no tensor is created then
     */
    public static LinkedHashMap<String, Tensor> load(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long dataStart = dataStart(ch, file);
            List<Entry> entries = entries(parseHeader(ch, dataStart, file), ch.size() - dataStart, file);
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            for (Entry e : entries) {
                if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                    // read straight into the tensor's memory: one copy of the data, not three
                    Tensor t = Tensor.zeros(e.dtype, e.shape);
                    Buffer tb = t.buffer();
                    if (e.end > e.begin) {
                        readFully(ch, tb.segment("load").asSlice(0, e.end - e.begin).asByteBuffer(),
                                dataStart + e.begin, file);
                        tb.storage().bumpVersion();
                    }
                    out.put(e.name, t);
                    continue;
                }
                ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, b, dataStart + e.begin, file);
                b.flip();
                int n = Math.toIntExact(b.remaining() / e.dtype.byteSize());
                Tensor t;
                if (e.dtype == DType.F32) {
                    float[] v = new float[n];
                    b.asFloatBuffer().get(v);
                    t = Tensor.fromArray(v, e.shape);
                } else {
                    double[] v = new double[n];
                    b.asDoubleBuffer().get(v);
                    t = Tensor.fromArray(v, e.shape);
                }
                out.put(e.name, t);
            }
            return out;
        }
    }

    /**
     * The {@code __metadata__} strings of a safetensors file (empty if it has none), after the
     * same validation as {@link #load}.
     *
     * @throws IOException as {@link #load}
     */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long dataStart = dataStart(ch, file);
            JsonNode header = parseHeader(ch, dataStart, file);
            entries(header, ch.size() - dataStart, file);
            LinkedHashMap<String, String> out = new LinkedHashMap<>();
            JsonNode m = header.get(METADATA);
            if (m != null) {
                m.properties().forEach(p -> out.put(p.getKey(), p.getValue().asText()));
            }
            return out;
        }
    }

    /** Checks the header length against the file size; returns where the data section starts. */
    private static long dataStart(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw corrupt(file, "truncated: " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, b, 0, file);
        long n = b.getLong(0);
        if (n < 0 || n > size - 8) {
            throw corrupt(file, "header length " + Long.toUnsignedString(n) + " exceeds the " + (size - 8)
                    + " bytes after the length field (truncated or not a safetensors file)");
        }
        if (n > MAX_HEADER_BYTES) {
            throw corrupt(file, "header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (n < 2) {
            throw corrupt(file, "header length " + n + " is too small for a JSON object");
        }
        return 8 + n;
    }

    private static JsonNode parseHeader(FileChannel ch, long dataStart, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(dataStart - 8));
        readFully(ch, b, 8, file);
        b.flip();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(b).toString();
        } catch (CharacterCodingException e) {
            throw corrupt(file, "header is not valid UTF-8");
        }
        if (!text.startsWith("{")) {
            throw corrupt(file, "header does not start with '{'");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw corrupt(file, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw corrupt(file, "header is not a JSON object");
        }
        return root;
    }

    /** Validates every entry against the data section of {@code dataSize} bytes; header order. */
    private static List<Entry> entries(JsonNode header, long dataSize, Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> p : header.properties()) {
            String name = p.getKey();
            JsonNode v = p.getValue();
            if (name.equals(METADATA)) {
                if (!v.isObject()) {
                    throw corrupt(file, "__metadata__ must be an object of strings");
                }
                for (Map.Entry<String, JsonNode> m : v.properties()) {
                    if (!m.getValue().isTextual()) {
                        throw corrupt(file, "__metadata__ value of '" + m.getKey() + "' is not a string");
                    }
                }
                continue;
            }
            entries.add(entry(name, v, file));
        }
        for (Entry e : entries) {
            long span = numel(e.shape) * e.dtype.byteSize(); // no overflow: numel was checked by entry()
            if (e.end - e.begin != span) {
                throw corrupt(file, "tensor '" + e.name + "': " + (e.dtype == DType.F32 ? "F32 " : "F64 ")
                        + Shape.format(e.shape) + " needs " + span + " bytes but data_offsets [" + e.begin + ", "
                        + e.end + "] span " + (e.end - e.begin));
            }
            if (e.end > dataSize) {
                throw corrupt(file, "tensor '" + e.name + "': data_offsets [" + e.begin + ", " + e.end
                        + "] reach past the data section of " + dataSize + " bytes (truncated file?)");
            }
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin < expected) {
                throw corrupt(file, "tensors '" + previous.name + "' and '" + e.name + "' overlap (data_offsets end "
                        + expected + " > begin " + e.begin + ")");
            }
            if (e.begin > expected) {
                throw corrupt(file, "bytes [" + expected + ", " + e.begin + ") of the data section belong to no "
                        + "tensor (gap before '" + e.name + "')");
            }
            expected = e.end;
            previous = e;
        }
        if (expected != dataSize) {
            throw corrupt(file, "the data section has " + dataSize + " bytes but the tensors cover " + expected
                    + " (trailing bytes)");
        }
        return entries;
    }

    private static Entry entry(String name, JsonNode v, Path file) throws IOException {
        String where = "tensor '" + name + "': ";
        if (!v.isObject()) {
            throw corrupt(file, where + "entry is not an object");
        }
        JsonNode dt = v.get("dtype");
        JsonNode shape = v.get("shape");
        JsonNode offsets = v.get("data_offsets");
        if (dt == null || !dt.isTextual() || shape == null || !shape.isArray() || offsets == null
                || !offsets.isArray()) {
            throw corrupt(file, where + "needs \"dtype\" (string), \"shape\" and \"data_offsets\" (arrays)");
        }
        DType dtype = switch (dt.asText()) {
            case "F32" -> DType.F32;
            case "F64" -> DType.F64;
            default -> throw corrupt(file, where + (OTHER_DTYPES.contains(dt.asText())
                    ? "dtype " + dt.asText() + " is not supported (vecgrad loads F32 and F64)"
                    : "unknown dtype '" + dt.asText() + "'"));
        };
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 0) {
                throw corrupt(file, where + "shape " + shape + " must hold non-negative ints");
            }
            dims[i] = d.asInt();
        }
        long count = 1; // over every dim, zeros aside: a shape whose count overflows is corrupt even if empty
        for (int d : dims) {
            if (d != 0 && count > Long.MAX_VALUE / d) {
                throw corrupt(file, where + "shape " + shape + " has more elements than fit in a long");
            }
            count *= Math.max(d, 1);
        }
        if (offsets.size() != 2) {
            throw corrupt(file, where + "data_offsets " + offsets + " must be [begin, end]");
        }
        long[] o = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode x = offsets.get(i);
            if (!x.isIntegralNumber() || !x.canConvertToLong() || x.asLong() < 0) {
                throw corrupt(file, where + "data_offsets " + offsets + " must be non-negative integers");
            }
            o[i] = x.asLong();
        }
        if (o[0] > o[1]) {
            throw corrupt(file, where + "data_offsets " + offsets + " end before they begin");
        }
        long numel = numel(dims);
        if (numel < 0 || numel * dtype.byteSize() > MAX_TENSOR_BYTES) {
            throw corrupt(file, where + "shape " + Shape.format(dims) + " is larger than the " + MAX_TENSOR_BYTES
                    + " bytes this reader handles per tensor");
        }
        return new Entry(name, dtype, dims, o[0], o[1]);
    }

    /** The element count, or -1 if more than one tensor (a Java array) can hold. */
    private static long numel(int[] dims) {
        for (int d : dims) {
            if (d == 0) {
                return 0;
            }
        }
        long n = 1;
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                return -1;
            }
        }
        return n;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position, Path file) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw corrupt(file, "truncated: unexpected end of file at byte " + pos);
            }
            pos += r;
        }
    }

    private static IOException corrupt(Path file, String problem) {
        return new IOException("safetensors: " + file + ": " + problem);
    }
}
