package io.vecgrad.spark;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The all-reduce of one training step, bucketed and overlapped with backward.
 *
 * <p><b>Payload.</b> Each task's payload is a 24-byte header (its mean loss and correct count as
 * f64, a hash of its parameters as i64), then its gradients in the job's dtype (f32 models send
 * f32, f64 models f64), little-endian, parameters in <em>reverse</em> model order: the last
 * layer's first, since backward finishes it first. The payload is cut into buckets of whole
 * parameters of about {@code bucketBytes} each; bucket 0 also carries the header.
 *
 * <p><b>Overlap.</b> Backward reports each parameter whose gradient is complete
 * ({@link Tensor#onGradReady}); when every parameter of the next bucket in order is complete,
 * the task thread copies that bucket into its payload and hands it to this exchange's thread,
 * which runs it through the {@link Transport} (every task sends the buckets in the same order)
 * and sums it while backward goes on with earlier layers. {@link #finish} waits for those and
 * exchanges the last bucket itself (nothing is left to overlap it with).
 *
 * <p><b>Sum.</b> For every element, {@code s = 0; s += w_r * g_r} for r = 0, 1, ..., N-1 in
 * float64 (an f32 gradient widens exactly), then s is rounded once to the model's dtype and
 * written into the parameter's gradient: the engine's {@link Kernels#rankSum}, whose vector
 * kernel performs exactly these operations per element whatever its width or chunking. Every task holds the same bytes and runs the same
 * arithmetic in the same order, whatever the bucket sizes or timing, so every replica gets a
 * bit-identical result; the f64 accumulation keeps the f32 result within one rounding of the
 * exact weighted mean.
 */
final class GradientExchange implements Closeable {
    /** Header slots before the gradient: local mean loss (f64), local correct count (f64), parameter hash (i64). */
    static final int HEADER = 3;
    static final int HEADER_BYTES = HEADER * 8;
    /** Wire layouts: little-endian whatever the host, so mixed clusters agree. */
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Default bucket size (see {@link SparkTrainer.Builder#bucketBytes}). */
    static final int DEFAULT_BUCKET_BYTES = 256 * 1024;

    private final Transport transport;
    private final int rank;
    private final int tasks;
    private final boolean f32;
    private final Tensor[] params;   // in bucket order (reverse model order)
    private final long[] paramPos;   // payload byte offset of each
    private final int[] bucketOf;    // bucket of each
    private final long[] bucketStart;
    private final long[] bucketLen;
    private final int[] bucketSize;  // parameters per bucket
    private final int[] ready;       // per step: complete parameters per bucket
    private final Buffer[] grads;    // per step: each parameter's gradient buffer, set when its bucket is packed
    private int launched;
    private final Arena arena = Arena.ofShared();
    /** The payload set of this step: all[r] holds task r's payload once its bucket is gathered. */
    private MemorySegment[] all;
    /** One payload set, or two used on alternate steps when the transport shares segments ({@link Transport#payloadSets}). */
    private final MemorySegment[][] sets;
    private long steps;
    private final double[] weights;
    private final int elemBytes;
    private static final Kernels KERNELS = Kernels.get();
    private final ArrayBlockingQueue<Integer> queue;
    private final Semaphore finished = new Semaphore(0);
    private final Thread thread;
    private volatile IOException failure;
    private long bytesSent;
    private long busyNanos;

    /**
     * @param params       the replica's parameters in model order (gradients of the job's dtype)
     * @param bucketBytes  the gradient bytes a bucket aims at (a parameter is never split)
     */
    GradientExchange(Transport transport, int rank, int tasks, List<Tensor> params, DType dt, int bucketBytes) {
        this.transport = transport;
        this.rank = rank;
        this.tasks = tasks;
        this.f32 = dt == DType.F32;
        this.elemBytes = dt.byteSize();
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // the wire is little-endian (mixed clusters agree) and the engine's sum reads the
            // payloads in place in native order
            throw new UnsupportedOperationException("spark all-reduce: this host is big-endian; the gradient payloads"
                    + " are little-endian and are summed in place by the engine, which assumes a little-endian host");
        }
        int n = params.size();
        this.params = new Tensor[n];
        this.paramPos = new long[n];
        this.bucketOf = new int[n];
        long[] starts = new long[n + 1];
        long[] lens = new long[n + 1];
        int[] sizes = new int[n + 1];
        int b = 0;
        long pos = HEADER_BYTES;
        long inBucket = HEADER_BYTES;
        for (int i = 0; i < n; i++) {
            Tensor p = params.get(n - 1 - i);
            this.params[i] = p;
            paramPos[i] = pos;
            bucketOf[i] = b;
            sizes[b]++;
            long bytes = p.numel() * dt.byteSize();
            pos += bytes;
            inBucket += bytes;
            if (inBucket >= bucketBytes && i < n - 1) {
                lens[b] = inBucket;
                starts[++b] = pos;
                inBucket = 0;
            }
        }
        lens[b] = inBucket;
        int buckets = b + 1;
        this.bucketStart = java.util.Arrays.copyOf(starts, buckets);
        this.bucketLen = java.util.Arrays.copyOf(lens, buckets);
        this.bucketSize = java.util.Arrays.copyOf(sizes, buckets);
        this.ready = new int[buckets];
        this.grads = new Buffer[n];
        this.sets = new MemorySegment[transport.payloadSets()][tasks];
        // a transport that lends this task's payload to its peers gets memory the GC frees once
        // no peer holds it (a peer may still read the last step's payload after this task closed)
        Arena payloadArena = sets.length > 1 ? Arena.ofAuto() : arena;
        for (MemorySegment[] set : sets) {
            for (int r = 0; r < tasks; r++) {
                set[r] = payloadArena.allocate(pos, 64);
            }
        }
        this.all = sets[0];
        this.weights = new double[tasks];
        this.queue = new ArrayBlockingQueue<>(buckets);
        this.thread = Thread.ofPlatform().daemon().name("vecgrad-allreduce-" + rank).unstarted(this::loop);
        thread.start();
    }

    /** Messages sent so far. */
    long messages() {
        return transport.messages();
    }

    /** Payload bytes this task has contributed so far. */
    long bytesSent() {
        return bytesSent;
    }

    /** Time this exchange's thread spent moving and summing buckets (overlapped or not). */
    long busyNanos() {
        return busyNanos;
    }

    /** Number of buckets. */
    int buckets() {
        return bucketLen.length;
    }

    /** Index (in bucket order) of a parameter given by its model-order index. */
    int slotOf(int modelIndex) {
        return params.length - 1 - modelIndex;
    }

    /**
     * Starts a step: this task's header, and the row weights of every rank (the same on every task).
     * Call before backward.
     */
    void begin(double[] rowWeights, double loss, double correct, long hash) {
        System.arraycopy(rowWeights, 0, weights, 0, tasks);
        all = sets[(int) (steps++ % sets.length)];
        MemorySegment mine = all[rank];
        mine.set(F64, 0, loss);
        mine.set(F64, 8, correct);
        mine.set(I64, 16, hash);
        java.util.Arrays.fill(ready, 0);
        launched = 0;
        // the gradient buffers are looked up when their bucket is packed, after backward wrote
        // them: looked up here, before backward, grad() would write the zeros that zeroGrad
        // deferred, and backward would then add to them instead of writing over them
    }

    /**
     * One empty exchange: returns when every task has reached it. Called once before the first
     * step, so the tasks start their steps together. (Spark's barrier allGather, which the tasks
     * meet at during setup, answers each task on its own once-a-second poll, so a task may leave
     * it up to a second after its peers; without this the first step's exchange wait absorbed
     * that skew, which made 1 in 3-5 measured jobs look 3x slower per step.)
     */
    void sync() throws IOException {
        if (tasks > 1) {
            transport.gather(all, 0, 0);
        }
    }

    /** Backward has finished the gradient of the parameter at {@code slot} (see {@link #slotOf}). */
    void ready(int slot) {
        ready[bucketOf[slot]]++;
        launchReady();
    }

    private void launchReady() {
        if (tasks == 1) {
            return; // nothing to exchange, and the mean of one gradient is itself: leave it as it is
        }
        while (launched < ready.length && ready[launched] >= bucketSize[launched]) {
            pack(launched);
            if (launched == ready.length - 1) {
                launched++; // the last bucket: finish() exchanges it on the task thread (see there)
            } else {
                queue.add(launched++);
            }
        }
    }

    /** Copies the bucket's gradients into this task's payload (they are final: backward is past them). */
    private void pack(int b) {
        MemorySegment mine = all[rank];
        for (int i = 0; i < params.length; i++) {
            if (bucketOf[i] != b) {
                continue;
            }
            Buffer g = params[i].grad().buffer(); // final: backward is past it (or this task had no batch)
            grads[i] = g; // for reduce(b), on the exchange thread (the queue orders the write before it)
            int n = (int) params[i].numel();
            if (f32) {
                MemorySegment.copy(g.segment("spark allReduce"), ValueLayout.JAVA_FLOAT, g.offset() * 4, mine, F32, paramPos[i], n);
            } else {
                MemorySegment.copy(g.segment("spark allReduce"), ValueLayout.JAVA_DOUBLE, g.offset() * 8, mine, F64, paramPos[i], n);
            }
        }
    }

    /**
     * Sends what backward has not reported (all of it if this task had no batch), waits until
     * every bucket is summed into the gradients, and fills {@code headers[r]} with rank r's loss
     * and correct count and {@code hashes[r]} with its hash.
     */
    void finish(double[][] headers, long[] hashes) throws IOException {
        System.arraycopy(bucketSize, 0, ready, 0, ready.length);
        launchReady();
        if (tasks > 1) {
            try {
                finished.acquire(ready.length - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("all-reduce: interrupted", e);
            }
            if (failure != null) {
                throw failure;
            }
            // The last bucket (the first layer's gradient, which backward finishes last) cannot
            // overlap with anything: this thread would only wait for it. Moving and summing it
            // here saves two thread wake-ups per step (the exchange thread's and this one's),
            // which on a busy 2-core machine cost more than the bucket itself.
            int last = ready.length - 1;
            long t0 = System.nanoTime();
            transport.gather(all, bucketStart[last], bucketLen[last]);
            bytesSent += bucketLen[last];
            reduce(last);
            busyNanos += System.nanoTime() - t0;
        }
        for (int r = 0; r < tasks; r++) {
            headers[r][0] = all[r].get(F64, 0);
            headers[r][1] = all[r].get(F64, 8);
            hashes[r] = all[r].get(I64, 16);
        }
    }

    private void loop() {
        try {
            while (true) {
                int b = queue.take();
                long t0 = System.nanoTime();
                try {
                    if (failure == null) {
                        transport.gather(all, bucketStart[b], bucketLen[b]);
                        bytesSent += bucketLen[b];
                        reduce(b);
                    }
                } catch (IOException | RuntimeException e) {
                    failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
                }
                busyNanos += System.nanoTime() - t0;
                finished.release();
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /**
     * The rank-ordered weighted sum of bucket b, written into the parameters' gradients: the
     * engine's {@link Kernels#rankSum} kernel (Vector API lanes, bit-identical to its scalar twin
     * and independent of the vector width), reading every rank's payload in place.
     */
    private void reduce(int b) {
        for (int i = 0; i < params.length; i++) {
            if (bucketOf[i] == b) {
                KERNELS.rankSum(all, paramPos[i] / elemBytes, weights, grads[i]);
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            arena.close();
        }
    }
}
