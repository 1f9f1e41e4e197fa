package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.autograd.TensorScope;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import java.util.Objects;

/**
 * Thread-safe inference over a trained module: many threads may call it at once, and once each
 * thread is warm its predictions allocate no native memory.
 *
 * <pre>{@code
 * Predictor p = new Predictor(model);          // switches the model to eval mode
 * float[][] probs = p.probabilities(rows);     // from any number of threads
 * }</pre>
 *
 * <p>Every call runs the forward pass with grad recording off inside a {@link TensorScope} on
 * the calling thread, so its intermediates come from that thread's buffer pool and go back to it
 * when the call returns; the answer is copied to the Java heap. A thread's first calls with a new
 * batch size fill its pool; later calls with sizes seen before reuse it.
 *
 * <p><b>Determinism.</b> The result for a batch depends only on the model's parameters and the
 * batch (not on the thread or on other calls running at the same time): the kernels split work
 * the same way on every call, so the same rows give bit-identical outputs.
 *
 * <p><b>Concurrency contract.</b> Calls only read the parameters. Do not train, load into or
 * otherwise modify the model, or switch it back to training mode, while predictions run.
 */
public final class Predictor {
    private final Layer model;
    private final DType dtype;

    /**
     * A predictor over {@code model}, which is switched to evaluation mode (dropout off).
     *
     * @throws NullPointerException if model is null
     */
    public Predictor(Layer model) {
        this.model = Objects.requireNonNull(model, "model");
        model.eval();
        this.dtype = model.parameters().stream().map(Tensor::dtype).findFirst().orElse(DType.F32);
    }

    /** The module predictions run through. */
    public Layer model() {
        return model;
    }

    /** The dtype inputs are converted to (that of the model's parameters; f32 without any). */
    public DType dtype() {
        return dtype;
    }

    /**
     * The model's outputs (for a classifier, the logits) for each row.
     *
     * @param rows {@code n >= 1} rows of equal length (the model's input width)
     * @return {@code n} rows of the model's output width
     * @throws IllegalArgumentException if rows is empty or ragged, or the model rejects the width
     */
    public float[][] predict(float[][] rows) {
        return run(rows, false);
    }

    /** {@link #predict(float[][])} for one row. */
    public float[] predict(float[] row) {
        return run(new float[][] {row}, false)[0];
    }

    /**
     * Class probabilities: the softmax of the model's outputs over the last dim, per row.
     *
     * @throws IllegalArgumentException as {@link #predict(float[][])}
     */
    public float[][] probabilities(float[][] rows) {
        return run(rows, true);
    }

    /**
     * The most probable class of each row (the index of the largest output; the first on ties).
     *
     * @throws IllegalArgumentException as {@link #predict(float[][])}
     */
    public int[] classify(float[][] rows) {
        float[][] out = run(rows, false);
        int[] c = new int[out.length];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int j = 1; j < out[i].length; j++) {
                if (out[i][j] > out[i][best]) {
                    best = j;
                }
            }
            c[i] = best;
        }
        return c;
    }

    /**
     * The model's output for a tensor input, computed without recording. The result is a new
     * tensor made in the caller's context: inside a {@link TensorScope} it belongs to that scope
     * (and the call allocates no native memory once warm), otherwise to the garbage collector.
     *
     * @param input e.g. {@code [batch, features]} of the model's dtype
     * @throws IllegalArgumentException if the model rejects the input
     */
    public Tensor predict(Tensor input) {
        double[] values;
        int[] dims;
        try (TensorScope _ = TensorScope.open(); var _ = Tensor.noGrad()) {
            Tensor y = model.forward(input);
            values = y.toDoubleArray();
            dims = y.dims();
        }
        return Tensor.fromArray(dtype, values, dims);
    }

    private float[][] run(float[][] rows, boolean softmax) {
        int n = rows.length;
        if (n == 0) {
            throw new IllegalArgumentException("predict: no rows given");
        }
        int f = rows[0].length;
        for (int i = 1; i < n; i++) {
            if (rows[i].length != f) {
                throw new IllegalArgumentException("predict: row " + i + " has " + rows[i].length
                        + " values, row 0 has " + f);
            }
        }
        try (TensorScope _ = TensorScope.open(); var _ = Tensor.noGrad()) {
            Tensor x = Tensor.zeros(dtype, n, f);
            Buffer b = x.buffer();
            for (int i = 0; i < n; i++) {
                b.narrow(0, i, 1).copyFrom(rows[i]);
            }
            Tensor y = model.forward(x);
            if (y.ndim() == 0 || y.dim(0) != n) {
                throw new IllegalArgumentException("predict: the model returned shape "
                        + java.util.Arrays.toString(y.dims()) + " for " + n + " rows");
            }
            if (softmax) {
                y = y.softmax(-1);
            }
            float[] flat = y.toFloatArray();
            int k = flat.length / n;
            float[][] out = new float[n][];
            for (int i = 0; i < n; i++) {
                out[i] = java.util.Arrays.copyOfRange(flat, i * k, (i + 1) * k);
            }
            return out;
        }
    }

    @Override
    public String toString() {
        return "Predictor[" + dtype + ", " + model.getClass().getSimpleName() + "]";
    }
}
