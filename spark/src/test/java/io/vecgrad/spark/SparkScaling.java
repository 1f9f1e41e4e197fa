package io.vecgrad.spark;

import io.vecgrad.engine.DType;
import io.vecgrad.optim.SGD;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Not a test: the throughput measurement behind the README's Spark figures. Trains the
 * 784-256-256-10 MLP (f32, SGD momentum) at a global batch of 256 on random rows, on the master
 * given as the first argument, with one task per slot; a warm-up job first (JIT), then a
 * measured job. Prints steps/s and the all-reduce share of a step on task 0.
 *
 * <pre>{@code java <spark flags> -Dvecgrad.threads=1 -cp ... io.vecgrad.spark.SparkScaling 'local[2]' [steps]}</pre>
 */
public final class SparkScaling {
    private SparkScaling() {}

    /** Runs the measurement; args: master [steps] [exchange]. */
    public static void main(String[] args) {
        String master = args.length > 0 ? args[0] : "local[2]";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        SparkTrainer.Exchange ex = args.length > 2 ? SparkTrainer.Exchange.valueOf(args[2]) : SparkTrainer.Exchange.RING;
        SparkConf conf = new SparkConf().setMaster(master).setAppName("vecgrad-scaling").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            int tasks = sc.defaultParallelism();
            int per = 256 / tasks;
            List<LabeledRow> rows = Spark.rows(5, per * tasks * steps, 784, 10);
            ModelFactory mf = () -> Spark.mlp784(11);
            OptimizerFactory of = p -> SGD.builder(p).lr(0.01).momentum(0.9).build();
            for (int round = 0; round < 2; round++) {
                SparkTrainer.Result r = SparkTrainer.builder(mf, of).classification(10).batchPerTask(per).epochs(1)
                        .dtype(DType.F32).exchange(ex).build().fit(sc.parallelize(rows, tasks));
                double step = (r.computeSeconds() + r.exchangeSeconds()) / r.steps();
                double mb = r.payloadBytes() / 1e6 / r.steps();
                System.out.printf(Locale.ROOT, "%s %s %s: %d tasks x %d rows, %d steps in %.2f s (job) -> %.1f steps/s in the"
                                + " loop; per step on task 0: compute %.2f ms, all-reduce %.2f ms (%.0f%%) for %.2f MB = %.2f ms/MB;"
                                + " vecgrad.threads=%s%n",
                        round == 0 ? "warm-up " : "measured", master, ex, tasks, per, r.steps(), r.seconds(), 1 / step,
                        1e3 * r.computeSeconds() / r.steps(), 1e3 * r.exchangeSeconds() / r.steps(),
                        100 * r.exchangeSeconds() / (r.computeSeconds() + r.exchangeSeconds()), mb,
                        1e3 * r.exchangeSeconds() / r.steps() / mb, System.getProperty("vecgrad.threads", "default"));
            }
        }
    }
}
