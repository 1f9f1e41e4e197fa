package io.vecgrad.spark;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: the all-reduce's own cost per MB, without training around it. N threads (the
 * tasks) hold the gradients of the 784-256-256-10 MLP (f32, 1.08 MB) and run {@link GradientExchange}
 * over a loopback {@link RingTransport} in lock-step: ring transfer plus the rank-ordered sum into
 * the gradients, as in a step, but with no backward to overlap with and no peer to wait for.
 *
 * <pre>{@code java -cp ... io.vecgrad.spark.RingCost [tasks] [iterations] [bucketBytes] [tcp|memory]}</pre>
 *
 * <p>{@code memory}: the same through {@link LocalTransport} (tasks in one JVM).
 */
public final class RingCost {
    private RingCost() {}

    /** Runs the measurement and prints ms per exchange and per MB (median and spread of 5 rounds). */
    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int bucket = args.length > 2 ? Integer.parseInt(args[2]) : GradientExchange.DEFAULT_BUCKET_BYTES;
        boolean memory = args.length > 3 && args[3].equals("memory");
        int[][] shapes = {{256, 784}, {256}, {256, 256}, {256}, {10, 256}, {10}};
        ServerSocketChannel[] servers = new ServerSocketChannel[tasks];
        String[] hosts = new String[tasks];
        int[] ports = new int[tasks];
        for (int r = 0; r < tasks; r++) {
            servers[r] = RingTransport.listen();
            hosts[r] = "127.0.0.1";
            ports[r] = ((InetSocketAddress) servers[r].getLocalAddress()).getPort();
        }
        double[][] perRound = new double[tasks][];
        long[] bytes = new long[tasks];
        Thread[] ts = new Thread[tasks];
        for (int r = 0; r < tasks; r++) {
            int rank = r;
            ts[r] = new Thread(() -> {
                List<Tensor> params = new ArrayList<>();
                for (int[] s : shapes) {
                    Tensor p = Tensor.ones(DType.F32, s);
                    p.setGrad(Tensor.full(DType.F32, 0.5 + rank, s));
                    params.add(p);
                }
                double[] w = new double[tasks];
                Arrays.fill(w, 1.0 / tasks);
                double[][] headers = new double[tasks][2];
                long[] hashes = new long[tasks];
                try (Transport t = memory ? LocalTransport.join("ringcost", rank, tasks)
                        : RingTransport.connect(rank, tasks, hosts, ports, 1, servers[rank], 30_000);
                     GradientExchange ex = new GradientExchange(t, rank, tasks, params, DType.F32, bucket)) {
                    double[] rounds = new double[5];
                    for (int round = -1; round < rounds.length; round++) { // round -1: warm-up (JIT)
                        long t0 = System.nanoTime();
                        for (int i = 0; i < iters; i++) {
                            ex.begin(w, 0, 0, 0);
                            ex.finish(headers, hashes);
                        }
                        if (round >= 0) {
                            rounds[round] = (System.nanoTime() - t0) / 1e6 / iters;
                        }
                    }
                    perRound[rank] = rounds;
                    bytes[rank] = ex.bytesSent();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ts[r].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        double mb = bytes[0] / 1e6 / (6.0 * iters);
        double[] ms = perRound[0].clone();
        Arrays.sort(ms);
        double med = ms[ms.length / 2];
        System.out.printf(Locale.ROOT, "%s all-reduce, %d tasks, %.2f MB per task per step (f32), buckets of %d bytes:"
                        + " %.2f ms per all-reduce (median of 5 x %d; min %.2f, max %.2f, spread %.0f%%) = %.2f ms/MB%n",
                memory ? "shared-memory" : "ring", tasks, mb, bucket, med, iters, ms[0], ms[ms.length - 1], 100 * (ms[ms.length - 1] - ms[0]) / med, med / mb);
    }
}
