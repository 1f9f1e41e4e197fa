package io.vecgrad.autograd;

/**
 * The closed set of recorded primitives. Each has exactly one rule in {@link Derivatives};
 * everything else in {@link Tensor} (sub by scalar, mean, l1, ...) is composed from these.
 */
enum Op {
    ADD("Add"), SUB("Sub"), MUL("Mul"), DIV("Div"), MAXIMUM("Maximum"), MINIMUM("Minimum"),
    /** y = x * p0 + p1 (scalar mixing). */
    AFFINE("Affine"),
    NEG("Neg"), EXP("Exp"), LOG("Log"), SQRT("Sqrt"), ABS("Abs"), SIN("Sin"), COS("Cos"),
    TANH("Tanh"), SIGMOID("Sigmoid"), RELU("Relu"), LEAKY_RELU("LeakyRelu"), GELU("Gelu"),
    GELU_TANH("GeluTanh"), POW("Pow"), CLAMP("Clamp"), WHERE("Where"),
    SUM("Sum"), MAX_DIM("Max"), LOGSUMEXP("LogSumExp"), SOFTMAX("Softmax"), LOG_SOFTMAX("LogSoftmax"),
    // ---- norm/embedding/activations ----
    /** Batch norm (training or evaluation statistics), fused forward and backward. */
    BATCH_NORM("NativeBatchNorm"),
    /** Layer norm over the trailing dims. */
    LAYER_NORM("NativeLayerNorm"),
    /** Group norm over channel groups. */
    GROUP_NORM("NativeGroupNorm"),
    /** Row lookup; the gradient is a scatter-add of rows. */
    EMBEDDING("Embedding"),
    /** ELU and SELU: {@code p1 * (x > 0 ? x : p0 * (e^x - 1))}. */
    ELU("Elu"),
    /** Softplus with beta {@code p0} and threshold {@code p1}. */
    SOFTPLUS("Softplus"),
    SILU("Silu"), SOFTSIGN("Softsign"), MISH("Mish"),
    /** Clamp to {@code [p0, p1]} whose gradient passes only strictly inside (PyTorch's hardtanh). */
    HARDTANH("Hardtanh"),
    /** {@code x > 0 ? x : w * x} with w broadcast (viewed onto dim 1). */
    PRELU("Prelu"),
    MATMUL("MatMul"),
    /**
     * {@code x·Wᵀ + b} over the rows of x (inputs x, W[, b]; saved: x viewed as [rows, in], W):
     * a layer's forward as one node, PyTorch's {@code addmm}.
     */
    LINEAR("Linear"),
    // ---- conv/pool ----
    /** conv2d with optional bias (inputs x, w[, b]); conv1d is conv2d over views with height 1. */
    CONV2D("Conv2d"), CONV_TRANSPOSE2D("ConvTranspose2d"),
    MAX_POOL2D("MaxPool2d"), AVG_POOL2D("AvgPool2d"), ADAPTIVE_AVG_POOL2D("AdaptiveAvgPool2d"),
    ADAPTIVE_MAX_POOL2D("AdaptiveMaxPool2d"),
    /** reshape/view, transpose/permute, expand, contiguous copy: gradient is reshaped/permuted back. */
    VIEW("View"), PERMUTE("Permute"), NARROW("Narrow"), CONCAT("Cat"), INDEX_SELECT("IndexSelect"),
    GATHER("Gather"),
    // ---- recurrent/attention ----
    /** One recurrent layer over a whole sequence, one direction (tanh or relu Elman cell). */
    RNN_TANH("RnnTanh"),
    /** One GRU layer over a whole sequence, one direction. */
    GRU("Gru"),
    /** One LSTM layer over a whole sequence, one direction (output rows 0..T-1 = h_t, row T = c_T). */
    LSTM("Lstm"),
    CROSS_ENTROPY("CrossEntropy"), NLL("NllLoss"), BCE_WITH_LOGITS("BceWithLogits"),
    /** MSE with reduction sum or mean (inputs input, target; saved: input - target; p0: the scale). */
    MSE("MseLoss"),
    CUSTOM("Custom");

    final String label;
    /** The PyTorch-style lower-case op name used in error messages. */
    final String opName;

    Op(String label) {
        this.label = label;
        this.opName = switch (label) {
            case "Maximum" -> "maximum";
            case "Minimum" -> "minimum";
            default -> label.toLowerCase(java.util.Locale.ROOT);
        };
    }
}
