package io.vecgrad.spark;

import io.vecgrad.engine.DType;
import io.vecgrad.optim.SGD;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Not a test: the throughput measurement behind the README's Spark figures. Trains the
 * 784-256-256-10 MLP (f32, SGD momentum) at a global batch of 256 on random rows, on the master
 * given as the first argument, with one task per slot; two warm-up jobs first (JIT), then
 * {@code rounds} measured jobs. Prints, per job and as median and spread: steps/s of the training
 * loop on task 0, compute and exposed all-reduce per step, and the all-reduce thread's cost per MB.
 *
 * <pre>{@code java <spark flags> -cp ... io.vecgrad.spark.SparkScaling 'local[2]' [steps] [RING|ALL_GATHER] [rounds] [threadsPerTask|0=auto] [bucketBytes]}</pre>
 *
 * <p>System properties: {@code -Dscaling.warmups=N} warm-up jobs (default 2);
 * {@code -Dscaling.batch=B} global batch (default 256);
 * {@code -Dscaling.sockets=true} uses the TCP ring even when all tasks share one JVM;
 * {@code -Dscaling.jfr=out.jfr} records the measured jobs only (not the warm-ups) with JFR,
 * using the settings file {@code -Dscaling.jfc=...} (default: the JDK's "profile" settings).
 */
public final class SparkScaling {
    private SparkScaling() {}

    /** Runs the measurement. */
    public static void main(String[] args) {
        String master = args.length > 0 ? args[0] : "local[2]";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        SparkTrainer.Exchange ex = args.length > 2 ? SparkTrainer.Exchange.valueOf(args[2]) : SparkTrainer.Exchange.RING;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        int bucket = args.length > 5 ? Integer.parseInt(args[5]) : GradientExchange.DEFAULT_BUCKET_BYTES;
        SparkConf conf = new SparkConf().setMaster(master).setAppName("vecgrad-scaling").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            int tasks = sc.defaultParallelism();
            int per = Integer.getInteger("scaling.batch", 256) / tasks;
            List<LabeledRow> rows = Spark.rows(5, per * tasks * steps, 784, 10);
            JavaRDD<LabeledRow> rdd = sc.parallelize(rows, tasks).cache();
            rdd.count();
            ModelFactory mf = () -> Spark.mlp784(11);
            OptimizerFactory of = p -> SGD.builder(p).lr(0.01).momentum(0.9).build();
            double[] rate = new double[rounds];
            double[] share = new double[rounds];
            double[] perMb = new double[rounds];
            int warmups = Integer.getInteger("scaling.warmups", 2);
            jdk.jfr.Recording rec = null;
            for (int round = -warmups; round < rounds; round++) {
                if (round == 0 && System.getProperty("scaling.jfr") != null) {
                    rec = startRecording();
                }
                SparkTrainer.Builder b = SparkTrainer.builder(mf, of).classification(10).batchPerTask(per).epochs(1)
                        .dtype(DType.F32).exchange(ex).bucketBytes(bucket).sharedMemory(!Boolean.getBoolean("scaling.sockets"));
                if (threads > 0) {
                    b.threadsPerTask(threads);
                }
                SparkTrainer.Result r = b.build().fit(rdd);
                double step = (r.computeSeconds() + r.exchangeSeconds()) / r.steps();
                double mb = r.payloadBytes() / 1e6 / r.steps();
                double msPerMb = mb == 0 ? 0 : 1e3 * r.commSeconds() / r.steps() / mb;
                System.out.printf(Locale.ROOT, "%s %s %s (%s): %d tasks x %d rows, %d threads/task, %d buckets, %d steps in"
                                + " %.2f s (job) -> %.2f steps/s in the loop; per step on task 0: compute %.2f ms, all-reduce"
                                + " wait %.2f ms (%.1f%%), all-reduce thread %.2f ms for %.2f MB = %.2f ms/MB%n",
                        round < 0 ? "warm-up " : "measured", master, ex, r.transport(), tasks, per, r.threadsPerTask(), r.buckets(),
                        r.steps(), r.seconds(), 1 / step, 1e3 * r.computeSeconds() / r.steps(),
                        1e3 * r.exchangeSeconds() / r.steps(), 100 * r.exchangeSeconds() / (r.computeSeconds() + r.exchangeSeconds()),
                        1e3 * r.commSeconds() / r.steps(), mb, msPerMb);
                if (round >= 0) {
                    rate[round] = 1 / step;
                    share[round] = 100 * r.exchangeSeconds() / (r.computeSeconds() + r.exchangeSeconds());
                    perMb[round] = msPerMb;
                }
            }
            if (rec != null) {
                rec.stop();
                try {
                    rec.dump(java.nio.file.Path.of(System.getProperty("scaling.jfr")));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                rec.close();
            }
            System.out.printf(Locale.ROOT, "SUMMARY %s threads=%s: steps/s median %.2f (min %.2f, max %.2f, spread %.0f%%);"
                            + " all-reduce wait median %.1f%% of a step; all-reduce cost median %.2f ms/MB%n",
                    master, threads == 0 ? "auto" : Integer.toString(threads), median(rate), min(rate), max(rate),
                    100 * (max(rate) - min(rate)) / median(rate), median(share), median(perMb));
        }
    }

    private static jdk.jfr.Recording startRecording() {
        try {
            String jfc = System.getProperty("scaling.jfc");
            jdk.jfr.Configuration c = jfc == null ? jdk.jfr.Configuration.getConfiguration("profile")
                    : jdk.jfr.Configuration.create(java.nio.file.Path.of(jfc));
            jdk.jfr.Recording r = new jdk.jfr.Recording(c);
            r.start();
            return r;
        } catch (java.io.IOException | java.text.ParseException e) {
            throw new IllegalStateException("SparkScaling: cannot start JFR: " + e.getMessage(), e);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
