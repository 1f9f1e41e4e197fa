package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.random.RandomGenerator;

/**
 * 1-D convolution, PyTorch's {@code nn.Conv1d}: weight {@code [out, in / groups, k]}, bias
 * {@code [out]}; input {@code [N, in, L]}, output {@code [N, out, OL]}. PyTorch's default
 * initialisation (Kaiming-uniform {@code a = √5}, bias {@code U(±1/√fan_in)}).
 */
public final class Conv1d extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * A layer with freshly initialised parameters of the dtype.
     *
     * @throws IllegalArgumentException for non-positive sizes or groups not dividing the channels
     */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups,
                  boolean bias, RandomGenerator gen, DType dtype) {
        ConvSupport.checkChannels("Conv1d", inChannels, outChannels, groups);
        if (kernelSize < 1) {
            throw new IllegalArgumentException("Conv1d: kernel_size must be positive, got " + kernelSize);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        this.weight = registerParameter("weight", Tensor.zeros(dtype, outChannels, inChannels / groups, kernelSize));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(dtype, outChannels)) : null;
        ConvSupport.reset(weight, this.bias, gen);
    }

    /** An f32 layer with stride, padding, dilation 1, one group and bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, RandomGenerator gen) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true, gen, DType.F32);
    }

    /**
     * The convolution of the input {@code [N, in, L]}.
     *
     * @throws IllegalArgumentException naming the op and the shapes if the input does not fit
     */
    @Override
    public Tensor forward(Tensor input) {
        return input.conv1d(weight, bias, stride, padding, dilation, groups);
    }

    /** The weight {@code [out, in / groups, k]}. */
    public Tensor weight() {
        return weight;
    }

    /** The bias {@code [out]}, or null. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernel + ",), stride=(" + stride + ",), padding=("
                + padding + ",), dilation=(" + dilation + ",), groups=" + groups + ", bias=" + (bias != null);
    }

    /** Constructor arguments for {@link Architecture}: in, out, kernel, stride, padding, dilation, groups. */
    int[] config() {
        return new int[] {inChannels, outChannels, kernel, stride, padding, dilation, groups};
    }
}
