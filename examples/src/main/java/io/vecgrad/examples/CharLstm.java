package io.vecgrad.examples;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.RecurrentOps;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.LSTM;
import io.vecgrad.nn.Linear;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.GradClip;
import io.vecgrad.optim.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.knowm.xchart.XYChart;

/**
 * A character-level language model: a one-layer {@link LSTM} over one-hot characters and a
 * {@link Linear} read-out, trained with Adam on twelve of Shakespeare's sonnets (bundled, public
 * domain: see {@code data/README.md} next to the text) to predict each next character. Prints
 * the loss as it falls, then text sampled from the model one character at a time (carrying the
 * LSTM state), and writes the loss curve as {@code char-lstm-loss.png}.
 *
 * <p>Run it with {@code ./vecgrad example char-lstm}; the number of training steps is the system
 * property {@code vecgrad.charlstm.steps} (default {@value #DEFAULT_STEPS}).
 */
public final class CharLstm extends BaseExample {
    /** Training steps of {@code ./vecgrad example char-lstm}. */
    public static final int DEFAULT_STEPS = 600;
    static final long SEED = 11;

    private final int steps;
    private final int hidden;
    private final int seq;
    private final int batch;

    /** The example with {@code -Dvecgrad.charlstm.steps} (default {@value #DEFAULT_STEPS}) training steps. */
    public CharLstm() {
        this(Integer.getInteger("vecgrad.charlstm.steps", DEFAULT_STEPS));
    }

    /** The example with this many training steps, hidden size 128, windows of 48, batches of 16. */
    public CharLstm(int steps) {
        this(steps, 128, 48, 16);
    }

    /**
     * The example with these sizes (a test runs a small model for a few steps).
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public CharLstm(int steps, int hidden, int seq, int batch) {
        super("char-lstm", "issue 11",
                "character-level LSTM language model on Shakespeare's sonnets: loss curve and generated text");
        if (steps < 1 || hidden < 1 || seq < 1 || batch < 1) {
            throw new IllegalArgumentException("char-lstm: steps, hidden, seq and batch must be positive, got "
                    + steps + ", " + hidden + ", " + seq + ", " + batch);
        }
        this.steps = steps;
        this.hidden = hidden;
        this.seq = seq;
        this.batch = batch;
    }

    /** The bundled training text. */
    static String text() {
        try (InputStream in = CharLstm.class.getResourceAsStream("data/sonnets.txt")) {
            if (in == null) {
                throw new IllegalStateException("char-lstm: data/sonnets.txt is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        String text = text();
        TreeSet<Character> set = new TreeSet<>();
        for (char ch : text.toCharArray()) {
            set.add(ch);
        }
        char[] vocab = new char[set.size()];
        int[] index = new int[128];
        int v = 0;
        for (char ch : set) {
            vocab[v] = ch;
            index[ch] = v++;
        }
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = index[text.charAt(i)];
        }
        out.printf("text: %d characters, %d distinct; LSTM %d -> %d, windows of %d, batch %d, %d steps%n",
                ids.length, v, v, hidden, seq, batch, steps);

        SplittableRandom gen = new SplittableRandom(SEED);
        LSTM lstm = new LSTM(v, hidden, 1, true, false, 0, false, gen, DType.F32);
        Linear head = new Linear(hidden, v, true, gen, DType.F32);
        List<Tensor> params = new ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        Optimizer opt = Adam.builder(params).lr(3e-3).build();
        CrossEntropyLoss ce = new CrossEntropyLoss();

        Tensor x = Tensor.zeros(DType.F32, seq, batch, v); // reused: one-hot windows, written in place
        float[] onehot = new float[seq * batch * v];
        long[] target = new long[seq * batch];
        double[] losses = new double[steps];
        long t0 = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            java.util.Arrays.fill(onehot, 0);
            for (int b = 0; b < batch; b++) {
                int start = gen.nextInt(ids.length - seq - 1);
                for (int t = 0; t < seq; t++) {
                    onehot[(t * batch + b) * v + ids[start + t]] = 1;
                    target[t * batch + b] = ids[start + t + 1];
                }
            }
            x.buffer().copyFrom(onehot);
            opt.zeroGrad();
            Tensor h = lstm.forward(x).reshape(seq * batch, hidden);
            Tensor loss = ce.apply(head.forward(h), Indices.of(target, seq * batch));
            loss.backward();
            GradClip.clipNorm(params, 5.0);
            opt.step();
            losses[step] = loss.item();
            if (step % Math.max(1, steps / 10) == 0 || step == steps - 1) {
                out.printf("step %4d  loss %.4f  (%.1f s)%n", step, losses[step], (System.nanoTime() - t0) / 1e9);
            }
        }
        double secondsPerStep = (System.nanoTime() - t0) / 1e9 / steps;

        String prime = "Shall I ";
        String sample = sample(lstm, head, vocab, index, prime, 400, 0.7, new SplittableRandom(SEED + 1));
        out.println("--- generated (temperature 0.7, primed with \"" + prime + "\") ---");
        out.println(sample);
        out.println("---");

        XYChart c = Charts.chart("char-LSTM on the sonnets: training loss", "step", "cross-entropy (nats/char)");
        double[] xs = new double[steps];
        double[] smooth = new double[steps];
        double ema = losses[0];
        for (int i = 0; i < steps; i++) {
            xs[i] = i;
            ema = i == 0 ? losses[0] : 0.9 * ema + 0.1 * losses[i];
            smooth[i] = ema;
        }
        Charts.curve(c, "loss per step", xs, losses);
        Charts.curve(c, "moving average (0.9)", xs, smooth);
        Path png = Charts.save(c, outDir, "char-lstm-loss.png");
        out.println("loss curve: " + png);
        double uniform = Math.log(v);
        out.printf("initial loss %.3f (uniform over %d characters: %.3f), final moving average %.3f, %.1f ms/step%n",
                losses[0], v, uniform, smooth[steps - 1], secondsPerStep * 1e3);
        return new Result().put("loss", losses).put("final_loss", smooth[steps - 1]).put("vocab", v)
                .put("uniform_loss", uniform).text("sample", sample).file(png);
    }

    /** Primes the LSTM with {@code prime}, then samples {@code n} characters at this temperature. */
    static String sample(LSTM lstm, Linear head, char[] vocab, int[] index, String prime, int n, double temperature,
                         SplittableRandom gen) {
        int v = vocab.length;
        StringBuilder sb = new StringBuilder(prime);
        try (var _ = Tensor.noGrad()) {
            Tensor h = null;
            Tensor c = null;
            int next = index[prime.charAt(0)];
            for (int i = 0; i < prime.length() - 1 + n; i++) {
                float[] oh = new float[v];
                oh[next] = 1;
                RecurrentOps.Result r = lstm.forward(Tensor.fromArray(oh, 1, 1, v), h, c);
                h = r.h();
                c = r.c();
                if (i + 1 < prime.length()) {
                    next = index[prime.charAt(i + 1)];
                    continue;
                }
                double[] logits = head.forward(h.reshape(1, -1)).toDoubleArray();
                double max = Double.NEGATIVE_INFINITY;
                for (double l : logits) {
                    max = Math.max(max, l);
                }
                double[] p = new double[v];
                double sum = 0;
                for (int k = 0; k < v; k++) {
                    p[k] = Math.exp((logits[k] - max) / temperature);
                    sum += p[k];
                }
                double u = gen.nextDouble() * sum;
                next = v - 1;
                for (int k = 0; k < v; k++) {
                    u -= p[k];
                    if (u <= 0) {
                        next = k;
                        break;
                    }
                }
                sb.append(vocab[next]);
            }
        }
        return sb.toString();
    }

    /** Runs the example outside the CLI: {@code CharLstm [steps [outDir]]}. */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_STEPS;
        Path dir = args.length > 1 ? Path.of(args[1]) : Path.of("out", "examples", "char-lstm");
        new CharLstm(steps).run(dir, System.out);
    }
}
