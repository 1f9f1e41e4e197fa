package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.random.RandomGenerator;

/**
 * 2-D convolution, PyTorch's {@code nn.Conv2d}: weight {@code [out, in / groups, kH, kW]}, bias
 * {@code [out]}; input {@code [N, in, H, W]}, output {@code [N, out, OH, OW]} (see
 * {@link Tensor#conv2d(Tensor, Tensor, int[], int[], int[], int)}). Initialised as PyTorch does by
 * default: weight by Kaiming-uniform with {@code a = √5}, bias from {@code U(±1/√fan_in)}.
 */
public final class Conv2d extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * A layer with freshly initialised parameters of the dtype.
     *
     * @throws IllegalArgumentException for non-positive sizes or groups not dividing the channels
     */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                  int groups, boolean bias, RandomGenerator gen, DType dtype) {
        ConvSupport.checkChannels("Conv2d", inChannels, outChannels, groups);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = ConvSupport.two("Conv2d", "kernel_size", kernelSize);
        this.stride = ConvSupport.two("Conv2d", "stride", stride);
        this.padding = ConvSupport.two("Conv2d", "padding", padding);
        this.dilation = ConvSupport.two("Conv2d", "dilation", dilation);
        this.groups = groups;
        if (kernel[0] < 1 || kernel[1] < 1) {
            throw new IllegalArgumentException("Conv2d: kernel_size must be positive, got " + ConvSupport.fmt(kernel));
        }
        this.weight = registerParameter("weight", Tensor.zeros(dtype, outChannels, inChannels / groups, kernel[0], kernel[1]));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(dtype, outChannels)) : null;
        ConvSupport.reset(weight, this.bias, gen);
    }

    /** An f32 layer with a square kernel, stride, padding, dilation 1, one group and bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, RandomGenerator gen) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
                new int[] {padding, padding}, new int[] {1, 1}, 1, true, gen, DType.F32);
    }

    /**
     * The convolution of the input.
     *
     * @throws IllegalArgumentException naming the op and the shapes if the input does not fit
     */
    @Override
    public Tensor forward(Tensor input) {
        return input.conv2d(weight, bias, stride, padding, dilation, groups);
    }

    /** The weight {@code [out, in / groups, kH, kW]}. */
    public Tensor weight() {
        return weight;
    }

    /** The bias {@code [out]}, or null. */
    public Tensor bias() {
        return bias;
    }

    /** The constructor's arguments, for {@link Architecture}: in, out, groups, then kernel, stride, padding, dilation. */
    int[][] config() {
        return new int[][] {{inChannels, outChannels, groups}, kernel.clone(), stride.clone(), padding.clone(),
                dilation.clone()};
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=" + ConvSupport.fmt(kernel) + ", stride="
                + ConvSupport.fmt(stride) + ", padding=" + ConvSupport.fmt(padding) + ", dilation="
                + ConvSupport.fmt(dilation) + ", groups=" + groups + ", bias=" + (bias != null);
    }
}
