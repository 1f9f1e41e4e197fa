package io.vecgrad.autograd;

/**
 * The closed set of recorded primitives. Each has exactly one rule in {@link Derivatives};
 * everything else in {@link Tensor} (sub by scalar, mean, mse, ...) is composed from these.
 */
enum Op {
    ADD("Add"), SUB("Sub"), MUL("Mul"), DIV("Div"), MAXIMUM("Maximum"), MINIMUM("Minimum"),
    /** y = x * p0 + p1 (scalar mixing). */
    AFFINE("Affine"),
    NEG("Neg"), EXP("Exp"), LOG("Log"), SQRT("Sqrt"), ABS("Abs"), SIN("Sin"), COS("Cos"),
    TANH("Tanh"), SIGMOID("Sigmoid"), RELU("Relu"), LEAKY_RELU("LeakyRelu"), GELU("Gelu"),
    GELU_TANH("GeluTanh"), POW("Pow"), CLAMP("Clamp"), WHERE("Where"),
    SUM("Sum"), MAX_DIM("Max"), LOGSUMEXP("LogSumExp"), SOFTMAX("Softmax"), LOG_SOFTMAX("LogSoftmax"),
    MATMUL("MatMul"),
    /** reshape/view, transpose/permute, expand, contiguous copy: gradient is reshaped/permuted back. */
    VIEW("View"), PERMUTE("Permute"), NARROW("Narrow"), CONCAT("Cat"), INDEX_SELECT("IndexSelect"),
    GATHER("Gather"),
    CROSS_ENTROPY("CrossEntropy"), NLL("NllLoss"), BCE_WITH_LOGITS("BceWithLogits"),
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
