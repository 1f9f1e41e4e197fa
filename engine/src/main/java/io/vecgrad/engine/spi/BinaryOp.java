package io.vecgrad.engine.spi;

/**
 * Elementwise binary operations {@code y = f(a, b; p0)} understood by every {@link KernelProvider}.
 * Besides the arithmetic ops, the {@code *_BACKWARD} entries fuse an activation's
 * vector-Jacobian product ({@code a} = upstream gradient, {@code b} = the saved input or output)
 * so that autograd's backward pass is one read of each operand.
 */
public enum BinaryOp {
    /** {@code a + b}. */
    ADD,
    /** {@code a - b}. */
    SUB,
    /** {@code a * b}. */
    MUL,
    /** {@code a / b}. */
    DIV,
    /** {@code max(a, b)}, NaN if either is NaN (PyTorch's {@code maximum}). */
    MAX,
    /** {@code min(a, b)}, NaN if either is NaN (PyTorch's {@code minimum}). */
    MIN,
    /** {@code a + p0 * b} (axpy form; gradient accumulation with a scale). */
    ADD_SCALED,
    /** {@code b > 0 ? a : 0}: ReLU backward, {@code b} = input. */
    RELU_BACKWARD,
    /** {@code b > 0 ? a : p0 * a}: leaky ReLU backward ({@code p0} = slope), {@code b} = input. */
    LEAKY_RELU_BACKWARD,
    /** {@code a * (1 - b*b)}: tanh backward, {@code b} = output. */
    TANH_BACKWARD,
    /** {@code a * b * (1 - b)}: sigmoid backward, {@code b} = output. */
    SIGMOID_BACKWARD,
    /** {@code a * gelu'(b)} for exact GELU, {@code b} = input. */
    GELU_BACKWARD,
    /** {@code a * gelu_tanh'(b)}, {@code b} = input. */
    GELU_TANH_BACKWARD,
    /** {@code a * p0 * b^(p0-1)}: pow-by-scalar backward, {@code b} = input. */
    POW_BACKWARD,
    /** {@code a * sign(b)} with sign(0) = 0: abs backward, {@code b} = input. */
    ABS_BACKWARD,
    // ---- norm/embedding/activations ----
    /** {@code b > 0 ? a : a * p0 * e^b}: ELU backward without the scale ({@code p0} = alpha), {@code b} = input. */
    ELU_BACKWARD,
    /**
     * {@code b > p0 ? a : a * sigmoid(b)}: softplus backward, {@code b} = beta * input,
     * {@code p0} = threshold.
     */
    SOFTPLUS_BACKWARD,
    /** {@code a * s * (1 + b * (1 - s))}, {@code s = sigmoid(b)}: SiLU backward, {@code b} = input. */
    SILU_BACKWARD,
    /** {@code a / (1 + |b|)^2}: softsign backward, {@code b} = input. */
    SOFTSIGN_BACKWARD,
    /** {@code a * (t + b * sigmoid(b) * (1 - t^2))}, {@code t = tanh(softplus(b))}: Mish backward. */
    MISH_BACKWARD,
    /** {@code a > 0 ? a : b * a}: PReLU forward, {@code a} = input, {@code b} = slope. */
    PRELU,
    /** {@code a > 0 ? 1 : b}: PReLU's derivative with respect to its input, {@code a} = input, {@code b} = slope. */
    PRELU_SLOPE
}
