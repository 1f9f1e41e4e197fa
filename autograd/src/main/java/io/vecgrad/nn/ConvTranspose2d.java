package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.random.RandomGenerator;

/**
 * Transposed 2-D convolution, PyTorch's {@code nn.ConvTranspose2d}: weight
 * {@code [in, out / groups, kH, kW]}, bias {@code [out]}; input {@code [N, in, H, W]}, output
 * {@code [N, out, OH, OW]} (see {@link Tensor#convTranspose2d}). PyTorch's default initialisation
 * (Kaiming-uniform {@code a = √5} with fan_in = {@code (out / groups) · kH · kW}, bias
 * {@code U(±1/√fan_in)}).
 */
public final class ConvTranspose2d extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] outputPadding;
    private final int groups;
    private final int[] dilation;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * A layer with freshly initialised parameters of the dtype.
     *
     * @throws IllegalArgumentException for non-positive sizes or groups not dividing the channels
     */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding,
                           int[] outputPadding, int groups, boolean bias, int[] dilation, RandomGenerator gen,
                           DType dtype) {
        ConvSupport.checkChannels("ConvTranspose2d", inChannels, outChannels, groups);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = ConvSupport.two("ConvTranspose2d", "kernel_size", kernelSize);
        this.stride = ConvSupport.two("ConvTranspose2d", "stride", stride);
        this.padding = ConvSupport.two("ConvTranspose2d", "padding", padding);
        this.outputPadding = ConvSupport.two("ConvTranspose2d", "output_padding", outputPadding);
        this.groups = groups;
        this.dilation = ConvSupport.two("ConvTranspose2d", "dilation", dilation);
        if (kernel[0] < 1 || kernel[1] < 1) {
            throw new IllegalArgumentException("ConvTranspose2d: kernel_size must be positive, got "
                    + ConvSupport.fmt(kernel));
        }
        this.weight = registerParameter("weight",
                Tensor.zeros(dtype, inChannels, outChannels / groups, kernel[0], kernel[1]));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(dtype, outChannels)) : null;
        ConvSupport.reset(weight, this.bias, gen);
    }

    /** An f32 layer with a square kernel, stride, padding, no output padding, one group, bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, RandomGenerator gen) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
                new int[] {padding, padding}, new int[] {0, 0}, 1, true, new int[] {1, 1}, gen, DType.F32);
    }

    /**
     * The transposed convolution of the input.
     *
     * @throws IllegalArgumentException naming the op and the shapes if the input does not fit
     */
    @Override
    public Tensor forward(Tensor input) {
        return input.convTranspose2d(weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** The weight {@code [in, out / groups, kH, kW]}. */
    public Tensor weight() {
        return weight;
    }

    /** The bias {@code [out]}, or null. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=" + ConvSupport.fmt(kernel) + ", stride="
                + ConvSupport.fmt(stride) + ", padding=" + ConvSupport.fmt(padding) + ", output_padding="
                + ConvSupport.fmt(outputPadding) + ", groups=" + groups + ", dilation=" + ConvSupport.fmt(dilation)
                + ", bias=" + (bias != null);
    }

    /**
     * Constructor arguments for {@link Architecture}: {in, out, groups}, kernel, stride, padding,
     * output_padding, dilation.
     */
    int[][] config() {
        return new int[][] {{inChannels, outChannels, groups}, kernel.clone(), stride.clone(), padding.clone(),
                outputPadding.clone(), dilation.clone()};
    }
}
