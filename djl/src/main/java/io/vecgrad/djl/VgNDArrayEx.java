package io.vecgrad.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDUtils;
import ai.djl.ndarray.index.NDArrayIndexer;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.recurrent.RNN;
import ai.djl.util.RandomUtils;
import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Updates;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * DJL's internal operator set ({@link NDArrayEx}) for one {@link VgNDArray}. The layers run on
 * vecgrad's fused layer ops, one autograd node each: convolution and transposed convolution over
 * 1 or 2 spatial axes ({@link VgConvolution}), max/average pooling ({@link VgPooling}), batch and
 * layer normalization, embedding, prelu, dropout and RNN/GRU/LSTM ({@link VgRecurrent}); the
 * shapes those kernels do not cover (3-D convolution, Lp pooling, batch norm over an axis other
 * than 1, ...) fall back to differentiable compositions of vecgrad ops. SGD, NAG and Adam/AdamW
 * update in place with vecgrad's fused kernels ({@link Updates}); Adagrad, RMSProp and Adadelta
 * follow DJL's (MXNet's) equations, whose epsilon placement differs from vecgrad's PyTorch-style
 * kernels, in one plain pass per parameter. Image operators throw
 * {@link UnsupportedOperationException} naming the method.
 */
final class VgNDArrayEx implements NDArrayEx {
    private final VgNDArray array;

    VgNDArrayEx(VgNDArray array) {
        this.array = array;
    }

    private static VgNDArray vg(NDArray a) {
        return VgNDArray.of("NDArrayEx", a);
    }

    private VgNDArray wrap(Tensor t) {
        return array.wrap(t, array.getDataType());
    }

    // ============================================================== reverse arithmetic

    /** {@inheritDoc} */
    @Override
    public NDArray rdivi(NDArray b) {
        return array.inplace(b.div(array));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray rsubi(NDArray b) {
        return array.inplace(b.sub(array));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray rmodi(NDArray b) {
        return array.inplace(b.mod(array));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray rpowi(Number n) {
        return array.inplace(array.getManager().create(n).toType(array.getDataType(), false).pow(array));
    }

    // ============================================================== activations

    /** {@inheritDoc} */
    @Override
    public NDArray relu() {
        return wrap(array.in().relu());
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sigmoid() {
        return wrap(array.in().sigmoid());
    }

    /** {@inheritDoc} */
    @Override
    public NDArray tanh() {
        return wrap(array.in().tanh());
    }

    /** {@code log(1 + e^x)}, computed as {@code relu(x) + log(1 + e^-|x|)} so it never overflows. */
    @Override
    public NDArray softPlus() {
        Tensor x = array.in();
        return wrap(x.relu().add(x.abs().neg().exp().add(1).log()));
    }

    /** {@code x / (1 + |x|)}. */
    @Override
    public NDArray softSign() {
        Tensor x = array.in();
        return wrap(x.div(x.abs().add(1)));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray leakyRelu(float alpha) {
        return wrap(array.in().leakyRelu(alpha));
    }

    /** {@code x} for x > 0, {@code alpha (e^x - 1)} otherwise. */
    @Override
    public NDArray elu(float alpha) {
        Tensor x = array.in();
        return wrap(x.relu().add(x.clampMax(0).exp().sub(1).mul(alpha)));
    }

    /** SELU with the standard constants. */
    @Override
    public NDArray selu() {
        double alpha = 1.6732632423543772;
        double scale = 1.0507009873554805;
        Tensor x = array.in();
        return wrap(x.relu().add(x.clampMax(0).exp().sub(1).mul(alpha)).mul(scale));
    }

    /** Exact (erf) GELU. */
    @Override
    public NDArray gelu() {
        return wrap(array.in().gelu());
    }

    // ============================================================== pooling

    /** Max pooling over the spatial axes of (N, C, spatial...); differentiable. */
    @Override
    public NDArray maxPool(Shape kernelShape, Shape stride, Shape padding, boolean ceilMode) {
        return wrap(VgPooling.pool("maxPool", array.in(), VgPooling.Mode.MAX, 1, kernelShape, stride, padding,
                ceilMode, false));
    }

    /** Max over all spatial axes: (N, C, spatial...) to (N, C). */
    @Override
    public NDArray globalMaxPool() {
        return wrap(VgPooling.global("globalMaxPool", array.in(), VgPooling.Mode.MAX, 1));
    }

    /** Average pooling over the spatial axes of (N, C, spatial...); differentiable. */
    @Override
    public NDArray avgPool(Shape kernelShape, Shape stride, Shape padding, boolean ceilMode,
                           boolean countIncludePad) {
        return wrap(VgPooling.pool("avgPool", array.in(), VgPooling.Mode.AVG, 1, kernelShape, stride, padding,
                ceilMode, countIncludePad));
    }

    /** Mean over all spatial axes: (N, C, spatial...) to (N, C). */
    @Override
    public NDArray globalAvgPool() {
        return wrap(VgPooling.global("globalAvgPool", array.in(), VgPooling.Mode.AVG, 1));
    }

    /**
     * Lp pooling {@code (sum x^p)^(1/p)} over 1 or 2 spatial axes; differentiable.
     *
     * @throws IllegalArgumentException for 3 spatial axes or non-zero padding (as DJL's PyTorch engine)
     */
    @Override
    public NDArray lpPool(float normType, Shape kernelShape, Shape stride, Shape padding, boolean ceilMode) {
        if (array.getShape().dimension() > 4) {
            throw new IllegalArgumentException("lpPool: only 1-D and 2-D Lp pooling are supported, got input "
                    + array.getShape());
        }
        if (padding != null && padding.getShape().length > 0 && padding.size() != 0
                && java.util.Arrays.stream(padding.getShape()).anyMatch(v -> v != 0)) {
            throw new IllegalArgumentException("lpPool: padding is not supported, got " + padding);
        }
        return wrap(VgPooling.pool("lpPool", array.in(), VgPooling.Mode.LP, normType, kernelShape, stride, null,
                ceilMode, false));
    }

    /** The Lp norm over all spatial axes: (N, C, spatial...) to (N, C). */
    @Override
    public NDArray globalLpPool(float normType) {
        return wrap(VgPooling.global("globalLpPool", array.in(), VgPooling.Mode.LP, normType));
    }

    // ============================================================== optimizers

    /** Contiguous f32/f64 storage of a parameter, gradient or state array. */
    private static Buffer buf(String op, NDArray a) {
        Buffer b = vg(a).kernelBuffer();
        if (!b.isContiguous()) {
            throw new IllegalArgumentException(op + ": expected a contiguous array, got shape " + a.getShape());
        }
        return b;
    }

    private static MemorySegment seg(Buffer b, String op) {
        return b.segment(op);
    }

    /**
     * The gradient DJL's updates apply: {@code clip(rescale * g, ±clipGrad)} (clip when
     * clipGrad > 0). Returns the gradient's own storage when there is nothing to do.
     */
    private static Buffer prepareGrad(String op, NDArray grad, float rescaleGrad, float clipGrad) {
        Buffer g = buf(op, grad);
        if (rescaleGrad == 1f && !(clipGrad > 0)) {
            return g;
        }
        Tensor r = vg(grad).tensor().detach().mul(rescaleGrad);
        if (clipGrad > 0) {
            r = r.clamp(-clipGrad, clipGrad);
        }
        return r.buffer();
    }

    private static void zeroGrad(NDList weights) {
        for (NDArray w : weights) {
            vg(w).zeroGradient();
        }
    }

    /** SGD (with momentum), in place with vecgrad's fused kernel; zeroes the weight's gradient. */
    @Override
    public void sgdUpdate(NDList inputs, NDList weights, float learningRate, float weightDecay, float rescaleGrad,
                          float clipGrad, float momentum, boolean lazyUpdate) {
        fusedSgd("sgdUpdate", inputs, learningRate, weightDecay, rescaleGrad, clipGrad, momentum, false);
        zeroGrad(weights);
    }

    /** Nesterov momentum, in place with vecgrad's fused kernel; zeroes the weight's gradient. */
    @Override
    public void nagUpdate(NDList inputs, NDList weights, float learningRate, float weightDecay, float rescaleGrad,
                          float clipGrad, float momentum) {
        fusedSgd("nagUpdate", inputs, learningRate, weightDecay, rescaleGrad, clipGrad, momentum, true);
        zeroGrad(weights);
    }

    private static void fusedSgd(String op, NDList inputs, float lr, float wd, float rescale, float clip,
                                 float momentum, boolean nesterov) {
        Buffer p = buf(op, inputs.get(0));
        Buffer g = prepareGrad(op, inputs.get(1), rescale, clip);
        Buffer mom = momentum != 0 ? buf(op, inputs.get(2)) : null;
        // momentum buffer: buf = momentum * buf + g (PyTorch form); equals DJL's v = m v - lr g scaled by -lr
        Updates.get().sgd(p.dtype(), p.size(), seg(p, op), p.offset(), seg(g, op), g.offset(),
                mom == null ? null : seg(mom, op), mom == null ? 0 : mom.offset(),
                lr, momentum, 0, wd, nesterov, false);
    }

    /**
     * Adam / AdamW in place with vecgrad's fused kernel. DJL passes the bias-corrected step size
     * ({@code lr·sqrt(1-β2^t)/(1-β1^t)}) and keeps epsilon outside the square root of the raw second
     * moment, so the kernel runs with that step size and no further bias correction.
     */
    @Override
    public void adamUpdate(NDList inputs, NDList weights, float learningRate, float learningRateBiasCorrection,
                           float weightDecay, float rescaleGrad, float clipGrad, float beta1, float beta2,
                           float epsilon, boolean lazyUpdate, boolean adamw) {
        String op = "adamUpdate";
        Buffer p = buf(op, inputs.get(0));
        Buffer g = prepareGrad(op, inputs.get(1), rescaleGrad, clipGrad);
        Buffer m = buf(op, inputs.get(2));
        Buffer v = buf(op, inputs.get(3));
        if (adamw && weightDecay != 0) {
            Tensor w = vg(inputs.get(0)).tensor().detach();
            w.mul_(1 - (double) learningRate * weightDecay);
        }
        // Long.MAX_VALUE steps: 1 - beta^step == 1, i.e. no bias correction inside the kernel.
        Updates.get().adam(p.dtype(), p.size(), seg(p, op), p.offset(), seg(g, op), g.offset(), seg(m, op),
                m.offset(), seg(v, op), v.offset(), null, 0, learningRateBiasCorrection, beta1, beta2, epsilon,
                adamw ? 0 : weightDecay, false, Long.MAX_VALUE);
        zeroGrad(weights);
    }

    /**
     * Adagrad as DJL defines it: {@code g' = clip(rescale·g) + wd·w; h += g'^2;
     * w -= lr·g'/sqrt(h + eps)}.
     */
    @Override
    public void adagradUpdate(NDList inputs, NDList weights, float learningRate, float weightDecay,
                              float rescaleGrad, float clipGrad, float epsilon) {
        double[] w = vals(inputs.get(0));
        double[] g = vals(inputs.get(1));
        double[] h = vals(inputs.get(2));
        for (int i = 0; i < w.length; i++) {
            double gi = grad(g[i], rescaleGrad, clipGrad) + weightDecay * w[i];
            h[i] += gi * gi;
            w[i] -= learningRate * gi / Math.sqrt(h[i] + epsilon);
        }
        store(inputs.get(0), w);
        store(inputs.get(2), h);
        zeroGrad(weights);
    }

    /**
     * RMSProp as DJL defines it. Plain: {@code n = ρn + (1-ρ)g'^2; w -= lr·g'/sqrt(n + eps)}.
     * Centered (Graves): also {@code ḡ = ρḡ + (1-ρ)g'; δ = μδ - lr·g'/sqrt(n - ḡ^2 + eps); w += δ}.
     */
    @Override
    public void rmspropUpdate(NDList inputs, NDList weights, float learningRate, float weightDecay,
                              float rescaleGrad, float clipGrad, float rho, float momentum, float epsilon,
                              boolean centered) {
        double[] w = vals(inputs.get(0));
        double[] g = vals(inputs.get(1));
        double[] n = vals(inputs.get(2));
        double[] gm = centered ? vals(inputs.get(3)) : null;
        double[] d = centered ? vals(inputs.get(4)) : null;
        for (int i = 0; i < w.length; i++) {
            double gi = grad(g[i], rescaleGrad, clipGrad) + weightDecay * w[i];
            n[i] = rho * n[i] + (1 - rho) * gi * gi;
            if (centered) {
                gm[i] = rho * gm[i] + (1 - rho) * gi;
                d[i] = momentum * d[i] - learningRate * gi / Math.sqrt(n[i] - gm[i] * gm[i] + epsilon);
                w[i] += d[i];
            } else {
                w[i] -= learningRate * gi / Math.sqrt(n[i] + epsilon);
            }
        }
        store(inputs.get(0), w);
        store(inputs.get(2), n);
        if (centered) {
            store(inputs.get(3), gm);
            store(inputs.get(4), d);
        }
        zeroGrad(weights);
    }

    /**
     * Adadelta as DJL defines it: {@code a = ρa + (1-ρ)g'^2; δ = sqrt(s + eps)/sqrt(a + eps)·g';
     * s = ρs + (1-ρ)δ^2; w -= δ}.
     */
    @Override
    public void adadeltaUpdate(NDList inputs, NDList weights, float weightDecay, float rescaleGrad, float clipGrad,
                               float rho, float epsilon) {
        double[] w = vals(inputs.get(0));
        double[] g = vals(inputs.get(1));
        double[] a = vals(inputs.get(2));
        double[] s = vals(inputs.get(3));
        for (int i = 0; i < w.length; i++) {
            double gi = grad(g[i], rescaleGrad, clipGrad) + weightDecay * w[i];
            a[i] = rho * a[i] + (1 - rho) * gi * gi;
            double delta = Math.sqrt(s[i] + epsilon) / Math.sqrt(a[i] + epsilon) * gi;
            s[i] = rho * s[i] + (1 - rho) * delta * delta;
            w[i] -= delta;
        }
        store(inputs.get(0), w);
        store(inputs.get(2), a);
        store(inputs.get(3), s);
        zeroGrad(weights);
    }

    private static double grad(double g, float rescale, float clip) {
        double r = g * rescale;
        return clip > 0 ? Math.max(-clip, Math.min(clip, r)) : r;
    }

    private static double[] vals(NDArray a) {
        return vg(a).values();
    }

    /** Writes values into an array's own storage (parameters and optimizer states are leaves). */
    private static void store(NDArray a, double[] v) {
        Buffer b = vg(a).kernelBuffer();
        b.copyFrom(v);
    }

    // ============================================================== layers

    /** N-D convolution with stride, padding, dilation and groups; differentiable. */
    @Override
    public NDList convolution(NDArray input, NDArray weight, NDArray bias, Shape stride, Shape padding,
                              Shape dilation, int groups) {
        VgNDArray x = vg(input);
        Tensor b = bias == null ? null : vg(bias).in();
        Tensor y = VgConvolution.conv("convolution", x.in(), vg(weight).in(), b, stride, padding, dilation, groups);
        return new NDList(x.wrap(y, input.getDataType()));
    }

    /** N-D transposed convolution; differentiable. */
    @Override
    public NDList deconvolution(NDArray input, NDArray weight, NDArray bias, Shape stride, Shape padding,
                                Shape outPadding, Shape dilation, int groups) {
        VgNDArray x = vg(input);
        Tensor b = bias == null ? null : vg(bias).in();
        Tensor y = VgConvolution.deconv("deconvolution", x.in(), vg(weight).in(), b, stride, padding, outPadding,
                dilation, groups);
        return new NDList(x.wrap(y, input.getDataType()));
    }

    /** {@code input · weightᵀ + bias} over the last axis of input; differentiable. */
    @Override
    public NDList linear(NDArray input, NDArray weight, NDArray bias) {
        VgNDArray x = vg(input);
        VgNDArray w = vg(weight);
        Tensor y = x.in().linear(w.in(), bias == null ? null : vg(bias).in()); // one recorded op
        return new NDList(x.wrap(y, input.getDataType()));
    }

    /** Rows of {@code weight} at the (integer) indices of {@code input}; differentiable in weight. */
    @Override
    public NDList embedding(NDArray input, NDArray weight, SparseFormat sparse) {
        VgNDArray x = vg(input);
        VgNDArray w = vg(weight);
        int[] d = x.dims();
        int rows = w.dims()[0];
        Indices idx = VgNDArray.indices(x, rows).reshape(Math.toIntExact(input.getShape().size()));
        Tensor e = Tensor.embedding(idx, w.in()); // vecgrad's embedding op (scatter-add backward)
        int[] od = java.util.Arrays.copyOf(d, d.length + 1);
        od[d.length] = w.dims()[1];
        return new NDList(w.wrap(e.reshape(od), weight.getDataType()));
    }

    /**
     * {@code x > 0 ? x : alpha·x}; differentiable. One slope or one per channel (axis 1) runs on
     * vecgrad's prelu op; other alpha shapes as {@code relu(x) - alpha·relu(-x)}.
     */
    @Override
    public NDList prelu(NDArray input, NDArray alpha) {
        VgNDArray x = vg(input);
        Tensor xt = x.in();
        Tensor a = vg(alpha).in();
        long n = a.numel();
        if (a.dtype() == xt.dtype() && (n == 1 || (xt.ndim() >= 2 && a.ndim() <= 1 && n == xt.dim(1)))) {
            return new NDList(x.wrap(xt.prelu(a.reshape((int) n)), input.getDataType()));
        }
        return new NDList(x.wrap(xt.relu().sub(a.mul(xt.neg().relu())), input.getDataType()));
    }

    /** Inverted dropout when training (kept values scaled by 1/(1-rate)); identity otherwise. */
    @Override
    public NDList dropout(NDArray input, float rate, boolean training) {
        VgNDArray x = vg(input);
        if (!training || rate == 0) {
            return new NDList(x.wrap(x.in().copy(), input.getDataType()));
        }
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("dropout: rate must be in [0, 1], got " + rate);
        }
        // vecgrad's dropout: the mask buffer comes from the graph's pool when recording
        return new NDList(x.wrap(x.in().dropout(rate, RandomUtils.RANDOM), input.getDataType()));
    }

    /** Normalizes over the trailing {@code normalizedShape} dims, then {@code ·gamma + beta}; differentiable. */
    @Override
    public NDList layerNorm(NDArray input, Shape normalizedShape, NDArray gamma, NDArray beta, float eps) {
        VgNDArray x = vg(input);
        Tensor xt = x.in();
        int r = xt.ndim();
        int k = normalizedShape.dimension();
        int[] ns = Types.dims(normalizedShape);
        Tensor g = gamma == null ? null : vg(gamma).in();
        Tensor b = beta == null ? null : vg(beta).in();
        if (k >= 1 && k <= r && fits(g, ns, xt) && fits(b, ns, xt)) { // vecgrad's layer_norm kernel
            return new NDList(x.wrap(xt.layerNorm(ns, g, b, eps), input.getDataType()));
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = r - k + i;
        }
        Tensor mean = xt.mean(axes, true);
        Tensor c = xt.sub(mean);
        Tensor var = c.mul(c).mean(axes, true);
        Tensor y = c.div(var.add(eps).sqrt());
        if (g != null) {
            y = y.mul(g);
        }
        if (b != null) {
            y = y.add(b);
        }
        return new NDList(x.wrap(y, input.getDataType()));
    }

    /** True if {@code p} is absent or has exactly {@code dims} and x's dtype (a fused norm can take it). */
    private static boolean fits(Tensor p, int[] dims, Tensor x) {
        return p == null || (p.dtype() == x.dtype() && java.util.Arrays.equals(p.dims(), dims));
    }

    /**
     * Batch normalization over every axis but {@code axis}. Training: batch statistics, and the
     * running mean/variance are updated in place ({@code running = momentum·running +
     * (1-momentum)·batch}, unbiased batch variance). Inference: the running statistics.
     */
    @SuppressWarnings("try") // the scope object only restores grad mode
    @Override
    public NDList batchNorm(NDArray input, NDArray runningMean, NDArray runningVar, NDArray gamma, NDArray beta,
                            int axis, float momentum, float eps, boolean training) {
        VgNDArray x = vg(input);
        Tensor xt = x.in();
        int r = xt.ndim();
        int ax = axis < 0 ? axis + r : axis;
        int[] red = new int[r - 1];
        int[] bshape = new int[r];
        for (int i = 0, p = 0; i < r; i++) {
            bshape[i] = i == ax ? xt.dim(i) : 1;
            if (i != ax) {
                red[p++] = i;
            }
        }
        int c = xt.dim(ax);
        long count = xt.numel() / Math.max(1, c);
        Tensor g = gamma == null ? null : vg(gamma).in();
        Tensor b = beta == null ? null : vg(beta).in();
        Tensor rmT = vg(runningMean).tensor();
        Tensor rvT = vg(runningVar).tensor();
        int[] cd = {c};
        if (ax == 1 && (count > 1 || !training) && fits(g, cd, xt) && fits(b, cd, xt) && rmT.dtype() == xt.dtype()
                && rvT.dtype() == xt.dtype() && rmT.numel() == c && rvT.numel() == c && rmT.buffer().isContiguous()
                && rvT.buffer().isContiguous()) {
            // vecgrad's batch_norm kernel; PyTorch's momentum is the weight of the batch statistic
            Tensor y = xt.batchNorm(rmT.detach().reshape(c), rvT.detach().reshape(c), g, b, training,
                    1 - momentum, eps);
            return new NDList(x.wrap(y, input.getDataType()));
        }
        Tensor mean;
        Tensor var;
        if (training) {
            mean = xt.mean(red, true);
            Tensor centered = xt.sub(mean);
            var = centered.mul(centered).mean(red, true);
            double unbias = count > 1 ? (double) count / (count - 1) : 1;
            try (var ng = Tensor.noGrad()) {
                Tensor bm = mean.detach().reshape(rmT.dims());
                Tensor bv = var.detach().mul(unbias).reshape(rvT.dims());
                rmT.detach().mul_(momentum).add_(bm, 1 - momentum);
                rvT.detach().mul_(momentum).add_(bv, 1 - momentum);
            }
        } else {
            mean = vg(runningMean).in().reshape(bshape);
            var = vg(runningVar).in().reshape(bshape);
        }
        Tensor y = xt.sub(mean).div(var.add(eps).sqrt());
        if (g != null) {
            y = y.mul(g.reshape(bshape));
        }
        if (b != null) {
            y = y.add(b.reshape(bshape));
        }
        return new NDList(x.wrap(y, input.getDataType()));
    }

    /** Multi-layer (bidirectional) Elman RNN, tanh or relu; returns (output, final state); differentiable. */
    @Override
    public NDList rnn(NDArray input, NDArray state, NDList params, boolean hasBiases, int numLayers,
                      RNN.Activation activation, double dropRate, boolean training, boolean bidirectional,
                      boolean batchFirst) {
        VgNDArray x = vg(input);
        VgRecurrent.Cell cell = activation == RNN.Activation.RELU ? VgRecurrent.Cell.RNN_RELU
                : VgRecurrent.Cell.RNN_TANH;
        VgRecurrent.Result r = VgRecurrent.run("rnn", cell, x.in(), vg(state).in(), null,
                VgRecurrent.tensors(params), hasBiases, numLayers, dropRate, training, bidirectional, batchFirst,
                RandomUtils.RANDOM);
        return new NDList(x.wrap(r.output(), input.getDataType()), x.wrap(r.h(), input.getDataType()));
    }

    /** Multi-layer (bidirectional) GRU; returns (output, final state); differentiable. */
    @Override
    public NDList gru(NDArray input, NDArray state, NDList params, boolean hasBiases, int numLayers,
                      double dropRate, boolean training, boolean bidirectional, boolean batchFirst) {
        VgNDArray x = vg(input);
        VgRecurrent.Result r = VgRecurrent.run("gru", VgRecurrent.Cell.GRU, x.in(), vg(state).in(), null,
                VgRecurrent.tensors(params), hasBiases, numLayers, dropRate, training, bidirectional, batchFirst,
                RandomUtils.RANDOM);
        return new NDList(x.wrap(r.output(), input.getDataType()), x.wrap(r.h(), input.getDataType()));
    }

    /** Multi-layer (bidirectional) LSTM; returns (output, final h, final c); differentiable. */
    @Override
    public NDList lstm(NDArray input, NDList states, NDList params, boolean hasBiases, int numLayers,
                       double dropRate, boolean training, boolean bidirectional, boolean batchFirst) {
        VgNDArray x = vg(input);
        VgRecurrent.Result r = VgRecurrent.run("lstm", VgRecurrent.Cell.LSTM, x.in(), vg(states.get(0)).in(),
                vg(states.get(1)).in(), VgRecurrent.tensors(params), hasBiases, numLayers, dropRate, training,
                bidirectional, batchFirst, RandomUtils.RANDOM);
        return new NDList(x.wrap(r.output(), input.getDataType()), x.wrap(r.h(), input.getDataType()),
                x.wrap(r.c(), input.getDataType()));
    }

    // ============================================================== image

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray resize(int width, int height, int interpolation) {
        throw VgNDArray.unsupported("resize");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray interpolation(long[] size, int mode, boolean alignCorners) {
        throw VgNDArray.unsupported("interpolation");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray randomFlipLeftRight() {
        throw VgNDArray.unsupported("randomFlipLeftRight");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray randomFlipTopBottom() {
        throw VgNDArray.unsupported("randomFlipTopBottom");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray randomBrightness(float brightness) {
        throw VgNDArray.unsupported("randomBrightness");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray randomHue(float hue) {
        throw VgNDArray.unsupported("randomHue");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray randomColorJitter(float brightness, float contrast, float saturation, float hue) {
        throw VgNDArray.unsupported("randomColorJitter");
    }

    // ============================================================== miscellaneous

    /** {@inheritDoc} */
    @Override
    public NDArrayIndexer getIndexer(NDManager manager) {
        return new VgNDArrayIndexer((VgNDManager) manager);
    }

    /** This array where {@code condition} is non-zero, {@code other} elsewhere (broadcasting); differentiable. */
    @Override
    public NDArray where(NDArray condition, NDArray other) {
        VgNDArray o = (VgNDArray) array.getManager().from(other);
        DataType rt = Types.promote(array.getDataType(), o.getDataType());
        Tensor c = vg(array.getManager().from(condition)).tensor();
        DType st = Types.storage(rt);
        Tensor a = array.in().dtype() == st ? array.in() : array.in().to(st);
        Tensor b = o.in().dtype() == st ? o.in() : o.in().to(st);
        Tensor cc = c.dtype() == st ? c : c.to(st);
        double[] cv = cc.toDoubleArray();
        for (int i = 0; i < cv.length; i++) {
            cv[i] = cv[i] != 0 ? 1 : 0;
        }
        int[] cd = c.dims();
        int[] ab = broadcast(a.dims(), b.dims());
        if (cd.length > 0 && cd.length < ab.length
                && java.util.Arrays.equals(cd, java.util.Arrays.copyOf(ab, cd.length))) {
            // DJL broadcasts a lower-rank condition over the leading axes (a mask of rows)
            cd = java.util.Arrays.copyOf(cd, ab.length);
            java.util.Arrays.fill(cd, c.dims().length, ab.length, 1);
        }
        return array.wrap(Tensor.where(Types.heap(st, cv, cd), a, b), rt);
    }

    private static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            int x = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int y = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            r[i] = x == 1 ? y : x;
        }
        return r;
    }

    /** This array followed by {@code arrays}, stacked along a new {@code axis}; differentiable. */
    @Override
    public NDArray stack(NDList arrays, int axis) {
        Tensor[] parts = parts(arrays);
        int r = parts[0].ndim();
        int ax = axis < 0 ? axis + r + 1 : axis;
        return array.wrap(Tensor.stack(ax, parts), array.getDataType());
    }

    /** This array followed by {@code arrays}, joined along {@code axis}; differentiable. */
    @Override
    public NDArray concat(NDList arrays, int axis) {
        NDUtils.checkConcatInput(arrays);
        Tensor[] parts = parts(arrays);
        if (parts[0].ndim() == 0) {
            throw new IllegalArgumentException("concat: scalar arrays cannot be concatenated");
        }
        return array.wrap(Tensor.concat(axis, parts), array.getDataType());
    }

    private Tensor[] parts(NDList arrays) {
        List<NDArray> all = new java.util.ArrayList<>();
        all.add(array);
        all.addAll(arrays);
        Tensor[] parts = new Tensor[all.size()];
        DType st = Types.storage(array.getDataType());
        for (int i = 0; i < parts.length; i++) {
            Tensor p = ((VgNDArray) array.getManager().from(all.get(i))).in();
            parts[i] = p.dtype() == st ? p : p.to(st);
        }
        return parts;
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDList multiBoxTarget(NDList inputs, float iouThreshold, float ignoreThreshold,
                                 float negativeMiningRatio, float negativeMiningThreshold, int minNegativeSamples) {
        throw VgNDArray.unsupported("multiBoxTarget");
    }

    /**
     * SSD anchor boxes for the (N, C, H, W) feature map of this array: per pixel, one box per size
     * (ratio 1) and one per extra ratio (with the first size), as corner coordinates
     * (xmin, ymin, xmax, ymax) relative to the map; shape (1, H*W*(sizes+ratios-1), 4).
     * Steps <= 0 mean 1/H and 1/W; {@code clip} clamps to [0, 1].
     */
    @Override
    public NDList multiBoxPrior(List<Float> sizes, List<Float> ratios, List<Float> steps, List<Float> offsets,
                                boolean clip) {
        Shape in = array.getShape();
        if (in.dimension() != 4 || sizes.isEmpty() || ratios.isEmpty()) {
            throw new IllegalArgumentException("multiBoxPrior: expected an (N, C, H, W) input and at least one size "
                    + "and ratio, got " + in + ", sizes " + sizes + ", ratios " + ratios);
        }
        int h = (int) in.get(2);
        int w = (int) in.get(3);
        double stepY = steps.size() > 0 && steps.get(0) > 0 ? steps.get(0) : 1.0 / h;
        double stepX = steps.size() > 1 && steps.get(1) > 0 ? steps.get(1) : 1.0 / w;
        double offY = offsets.size() > 0 ? offsets.get(0) : 0.5;
        double offX = offsets.size() > 1 ? offsets.get(1) : 0.5;
        int per = sizes.size() + ratios.size() - 1;
        double[] out = new double[h * w * per * 4];
        int q = 0;
        for (int i = 0; i < h; i++) {
            double cy = (i + offY) * stepY;
            for (int j = 0; j < w; j++) {
                double cx = (j + offX) * stepX;
                for (int k = 0; k < per; k++) {
                    double size = k < sizes.size() ? sizes.get(k) : sizes.get(0);
                    double r = k < sizes.size() ? 1 : Math.sqrt(ratios.get(k - sizes.size() + 1));
                    double hw = size * h / w * r / 2;
                    double hh = size / r / 2;
                    double[] box = {cx - hw, cy - hh, cx + hw, cy + hh};
                    for (double v : box) {
                        out[q++] = clip ? Math.max(0, Math.min(1, v)) : v;
                    }
                }
            }
        }
        VgNDManager m = (VgNDManager) array.getManager();
        return new NDList(m.fromValues(out, new int[] {1, h * w * per, 4}, DataType.FLOAT32));
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDList multiBoxDetection(NDList inputs, boolean clip, float threshold, int backgroundId,
                                    float nmsThreshold, boolean forceSuppress, int nmsTopK) {
        throw VgNDArray.unsupported("multiBoxDetection");
    }

    /** {@inheritDoc} */
    @Override
    public VgNDArray getArray() {
        return array;
    }
}
