package io.vecgrad.spark;

import io.vecgrad.nn.Layer;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.train.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Training checkpoints in a Hadoop FileSystem folder (HDFS, S3A, a local path...): one
 * {@link Checkpoint} file per saved step, {@code step-000000000120.safetensors}, each written to a
 * temporary name in the same folder and renamed into place, so a reader (or a resumed job) sees
 * complete files only. A new name per step means the rename never replaces a file, which every
 * Hadoop FileSystem supports atomically. The newest {@link #KEEP} checkpoints are kept.
 */
final class CheckpointStore implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Checkpoints kept: the newest and the one before it, in case the newest is unreadable. */
    static final int KEEP = 2;
    private static final Pattern NAME = Pattern.compile("step-(\\d{12})\\.safetensors");

    private final String dir;
    private final HashMap<String, String> hadoopConf;

    /** A checkpoint on the store: its step and its full path. */
    record Entry(long step, String path) {}

    CheckpointStore(String dir, Map<String, String> hadoopConf) {
        this.dir = dir;
        this.hadoopConf = new HashMap<>(hadoopConf);
    }

    String dir() {
        return dir;
    }

    private org.apache.hadoop.fs.Path root() {
        return new org.apache.hadoop.fs.Path(dir);
    }

    private FileSystem fs() throws IOException {
        Configuration conf = new Configuration(false);
        hadoopConf.forEach(conf::set);
        return root().getFileSystem(conf);
    }

    /** Writes checkpoint bytes for {@code step} atomically and prunes old ones; returns the path. */
    String write(long step, byte[] bytes) throws IOException {
        FileSystem fs = fs();
        org.apache.hadoop.fs.Path root = root();
        fs.mkdirs(root);
        org.apache.hadoop.fs.Path fin = new org.apache.hadoop.fs.Path(root, String.format("step-%012d.safetensors", step));
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(root, "." + fin.getName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
                out.hsync();
            }
            if (fs.exists(fin)) { // a resumed run saving the same step again: same content by construction
                fs.delete(fin, false);
            }
            if (!fs.rename(tmp, fin)) {
                throw new IOException("checkpoint: rename " + tmp + " -> " + fin + " failed");
            }
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, false);
            }
        }
        List<Entry> all = list();
        for (int i = 0; i + KEEP < all.size(); i++) {
            fs.delete(new org.apache.hadoop.fs.Path(all.get(i).path()), false);
        }
        return fin.toString();
    }

    /** The complete checkpoints, oldest first (empty if the folder does not exist). */
    List<Entry> list() throws IOException {
        FileSystem fs = fs();
        List<Entry> out = new ArrayList<>();
        if (!fs.exists(root())) {
            return out;
        }
        for (FileStatus s : fs.listStatus(root())) {
            Matcher m = NAME.matcher(s.getPath().getName());
            if (s.isFile() && m.matches()) {
                out.add(new Entry(Long.parseLong(m.group(1)), s.getPath().toString()));
            }
        }
        out.sort(Comparator.comparingLong(Entry::step));
        return out;
    }

    /** The newest checkpoint, or null. */
    Entry latest() throws IOException {
        List<Entry> all = list();
        return all.isEmpty() ? null : all.getLast();
    }

    /** The bytes of a checkpoint file. */
    byte[] read(String path) throws IOException {
        try (InputStream in = fs().open(new org.apache.hadoop.fs.Path(path))) {
            return in.readAllBytes();
        }
    }

    // ------------------------------------------------------------- checkpoint <-> bytes

    /** The {@link Checkpoint} of model and optimizer as bytes (via a local temporary file). */
    static byte[] toBytes(Layer model, Optimizer optimizer, Checkpoint.State state) throws IOException {
        Path tmp = Files.createTempFile("vecgrad-ckpt", ".safetensors");
        try {
            Checkpoint.save(tmp, model, optimizer, state);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Loads checkpoint bytes into model and optimizer; returns the saved position. */
    static Checkpoint.State fromBytes(byte[] bytes, Layer model, Optimizer optimizer, String what) throws IOException {
        Path tmp = Files.createTempFile("vecgrad-ckpt", ".safetensors");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(bytes);
            }
            return Checkpoint.load(tmp, model, optimizer);
        } catch (IOException e) {
            throw new IOException(e.getMessage().replace(tmp.toString(), what), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
