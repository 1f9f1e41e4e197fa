package io.vecgrad.engine.spi;

/**
 * The geometry of a sliding 2-D window over one {@code [inH, inW]} plane, shared by im2col,
 * col2im and the fixed-window pools: output position {@code (oh, ow)} covers the input rows
 * {@code oh * strideH - padH + kh * dilH} for {@code kh < kH} (likewise columns); positions
 * outside {@code [0, inH) x [0, inW)} are padding. The output plane is {@code [outH, outW]}.
 *
 * <p>A plain value: the checked facade ({@link io.vecgrad.engine.Convolutions}) computes and
 * validates it once per call (positive sizes, strides and dilations, non-negative padding);
 * kernels trust it.
 *
 * @param inH input rows
 * @param inW input columns
 * @param kH window rows
 * @param kW window columns
 * @param strideH row stride
 * @param strideW column stride
 * @param padH implicit padding above and below
 * @param padW implicit padding left and right
 * @param dilH spacing of window rows
 * @param dilW spacing of window columns
 * @param outH output rows
 * @param outW output columns
 */
public record Window2d(int inH, int inW, int kH, int kW, int strideH, int strideW, int padH, int padW,
                       int dilH, int dilW, int outH, int outW) {

    /** Elements of one input plane. */
    public long inPlane() {
        return (long) inH * inW;
    }

    /** Elements of one output plane. */
    public long outPlane() {
        return (long) outH * outW;
    }

    /** Window taps {@code kH * kW}. */
    public int taps() {
        return kH * kW;
    }

    /** A readable summary for error messages. */
    @Override
    public String toString() {
        return "window [" + inH + ", " + inW + "] -> [" + outH + ", " + outW + "] kernel [" + kH + ", " + kW
                + "] stride [" + strideH + ", " + strideW + "] padding [" + padH + ", " + padW + "] dilation ["
                + dilH + ", " + dilW + "]";
    }
}
