package io.vecgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.Layer;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.optim.SGD;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * N barrier tasks with b rows each, gradients summed in rank order then averaged, must equal one
 * process training on the concatenated batch of N*b rows; and every replica must hold the same
 * bits after every step (checked in the job by a parameter hash).
 */
class EquivalenceTest {
    static final int TASKS = 2;
    static final int B = 5;
    static final int STEPS = 4;
    static final int WIDTH = 7;
    static final int CLASSES = 3;

    static OptimizerFactory optimizer(String name) {
        return switch (name) {
            case "momentum" -> p -> SGD.builder(p).lr(0.1).momentum(0.9).build();
            default -> p -> Adam.builder(p).lr(0.01).build();
        };
    }

    /** bucketBytes 1: every parameter is its own bucket, sent while backward goes on (the overlapped path). */
    @ParameterizedTest(name = "{0} {1} {2} buckets of {3} bytes")
    @CsvSource({"momentum, f64, RING, 262144", "adam, f64, RING, 262144", "momentum, f32, RING, 262144",
            "adam, f32, RING, 262144", "momentum, f64, RING, 1", "adam, f32, RING, 1", "adam, f64, ALL_GATHER, 262144"})
    void tasksTimesBatchEqualsOneProcessWithTheWholeBatch(String opt, String dtype, SparkTrainer.Exchange exchange,
                                                          int bucketBytes) {
        long seed = 20261202L;
        System.out.println("seed " + seed + " " + opt + " " + dtype);
        DType dt = DType.parse(dtype);
        List<LabeledRow> data = Spark.rows(seed, TASKS * B * STEPS, WIDTH, CLASSES);
        JavaRDD<LabeledRow> rdd = Spark.context().parallelize(data, TASKS);
        ModelFactory mf = () -> Spark.mlp(seed, dt, WIDTH, 6, CLASSES);
        SparkTrainer.Result r = SparkTrainer.builder(mf, optimizer(opt)).classification(CLASSES).batchPerTask(B)
                .epochs(1).shuffle(false).dtype(dt).checkReplicas(true).exchange(exchange).bucketBytes(bucketBytes).build().fit(rdd);
        assertEquals(STEPS, r.steps());
        assertEquals(bucketBytes == 1 ? 4 : 1, r.buckets(), "buckets per step");
        assertEquals(STEPS, r.replicaChecks(), "replica hashes compared after every step");

        // the reference: one process, batch = task 0's b rows then task 1's b rows
        Layer ref = mf.create();
        Optimizer o = optimizer(opt).create(ref.parameters());
        int per = B * STEPS; // rows per partition (parallelize slices evenly, in order)
        for (int s = 0; s < STEPS; s++) {
            double[] x = new double[TASKS * B * WIDTH];
            long[] y = new long[TASKS * B];
            int k = 0;
            for (int t = 0; t < TASKS; t++) {
                for (int i = 0; i < B; i++, k++) {
                    LabeledRow row = data.get(t * per + s * B + i);
                    System.arraycopy(row.features(), 0, x, k * WIDTH, WIDTH);
                    y[k] = (long) row.label();
                }
            }
            o.zeroGrad();
            new CrossEntropyLoss().apply(ref.forward(Tensor.fromArray(dt, x, TASKS * B, WIDTH)), Indices.of(y, TASKS * B))
                    .backward();
            o.step();
        }
        List<Tensor> got = r.model().parameters();
        List<Tensor> want = ref.parameters();
        double worst = 0;
        for (int i = 0; i < want.size(); i++) {
            double[] a = got.get(i).toDoubleArray();
            double[] e = want.get(i).toDoubleArray();
            for (int j = 0; j < e.length; j++) {
                double err = dt == DType.F64 ? Math.abs(a[j] - e[j]) : Math.abs(a[j] - e[j]) / Math.max(1e-3, Math.abs(e[j]));
                worst = Math.max(worst, err);
            }
        }
        double tol = dt == DType.F64 ? 1e-12 : 1e-4;
        System.out.println(opt + " " + dtype + ": worst difference to one process " + worst);
        assertTrue(worst <= tol, opt + " " + dtype + ": parameters differ from one process by " + worst + " > " + tol);
        // the parameters moved: the comparison is not between two untouched initialisations
        double moved = 0;
        double[] init = mf.create().parameters().get(0).toDoubleArray();
        double[] now = got.get(0).toDoubleArray();
        for (int j = 0; j < init.length; j++) {
            moved = Math.max(moved, Math.abs(now[j] - init[j]));
        }
        assertTrue(moved > 1e-3, "training did not change the parameters (max change " + moved + ")");
    }
}
