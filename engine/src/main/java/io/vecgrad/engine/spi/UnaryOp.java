package io.vecgrad.engine.spi;

/**
 * Elementwise unary operations {@code y = f(x; p0, p1)} understood by every {@link KernelProvider}.
 * The two scalar parameters are ignored by ops that take none.
 */
public enum UnaryOp {
    /** {@code y = x} (a strided copy). */
    IDENTITY,
    /** {@code y = -x}. */
    NEG,
    /** {@code y = |x|}. */
    ABS,
    /** {@code y = e^x}. */
    EXP,
    /** {@code y = ln x} (NaN below 0, -inf at 0). */
    LOG,
    /** {@code y = sqrt x}. */
    SQRT,
    /** {@code y = sin x}. */
    SIN,
    /** {@code y = cos x}. */
    COS,
    /** {@code y = tanh x}. */
    TANH,
    /** {@code y = 1 / (1 + e^-x)}. */
    SIGMOID,
    /** {@code y = max(x, 0)}; NaN stays NaN. */
    RELU,
    /** {@code y = x > 0 ? x : p0 * x} ({@code p0} = negative slope). */
    LEAKY_RELU,
    /** Exact GELU {@code y = x/2 * (1 + erf(x / sqrt 2))}. */
    GELU,
    /** Tanh GELU {@code y = x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))}. */
    GELU_TANH,
    /** {@code y = x^p0} with Java's {@link Math#pow} semantics. */
    POW,
    /** {@code y = min(max(x, p0), p1)}; pass -inf / +inf for a missing bound; NaN stays NaN. */
    CLAMP,
    /** {@code y = x * p0 + p1} (scale and shift; scalar mixing in autograd). */
    AFFINE,
    /** {@code y = x * x}. */
    SQUARE,
    /** {@code y = 1 / x}. */
    RECIPROCAL,
    /** {@code y = (x > 0) - (x < 0)}, 0 at 0, NaN stays NaN. */
    SIGN,
    /** {@code y = p0} (fill; x is not read). */
    FILL,
    // ---- norm/embedding/activations ----
    /**
     * ELU / SELU: {@code y = p1 * (x > 0 ? x : p0 * (e^x - 1))} ({@code p0} = alpha,
     * {@code p1} = scale: 1 for ELU, SELU's lambda for SELU).
     */
    ELU,
    /**
     * Softplus: {@code y = beta*x > threshold ? x : log(1 + e^(beta*x)) / beta}
     * ({@code p0} = beta, {@code p1} = threshold).
     */
    SOFTPLUS,
    /** SiLU (swish): {@code y = x * sigmoid(x)}. */
    SILU,
    /** Softsign: {@code y = x / (1 + |x|)}. */
    SOFTSIGN,
    /** Mish: {@code y = x * tanh(softplus(x))} (softplus with beta 1 and no threshold). */
    MISH,
    /** Open-interval mask: {@code y = p0 < x < p1 ? 1 : 0} (NaN gives 0); hardtanh's gradient mask. */
    INSIDE
}
