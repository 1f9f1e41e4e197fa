package io.vecgrad.examples;

import java.util.List;
import java.util.Optional;

/** Every worked example, in the order of the notes (EXAMPLES.md ids). */
public final class Examples {
    private Examples() {}

    private static final List<Example> ALL = List.of(
            new F0_01_DenseLayer(),
            new F0_02_WeightGradientStep(),
            new F0_03_LearningRate1D(),
            new F0_04_GradientDescent2D(),
            new F0_05_MomentumEscapesLocalMin(),
            new F0_06_MomentumPseudoCode(),
            new F0_07_TwoLayerGraph(),
            new F0_08_ScalarGraph(),
            new F0_09_MultiplePaths(),
            new F1_01_FiniteDifferences(),
            new F1_02_RuleNotAlways(),
            new F1_03_CubicQuarticSurface(),
            new F1_04_SteepestDescent(),
            new F1_05_NoiseEscapes(),
            new F1_06_LearningRateThreshold(),
            new F1_07_WeightShapes(),
            new F1_08_LinearCollapse(),
            new F1_09_MiniBatch(),
            new F1_10_LoopCondition(),
            new F1_11_GradientAccumulation(),
            new F1_12_ChainRuleLayers(),
            new F1_C1_ReverseModeReuse(),
            new F2_01_BloodPressure(),
            new F2_02_UpdateRule(),
            new F2_03_PartialDerivatives(),
            new F2_04_PlotFunction(),
            new F2_05_NumericalLimit(),
            new F2_07_DifferentiationRules(),
            new F2_08_TangentLine(),
            new F2_09_MultivariateRules(),
            new F2_11_AutogradDot(),
            new F2_13_GradAccumulates(),
            new F2_14_NonScalarBackward(),
            new F2_15_Detach(),
            new F2_16_NoGrad(),
            new F2_C1_RetainGraph(),
            new F3_01_StepDecay(),
            new F3_02_SecondOrder(),
            new F3_03_MiniBatchVariance(),
            new F3_04_ConditionNumber(),
            new F3_05_MomentumRule(),
            new F3_06_DistillMomentum(),
            new F3_07_RmsPropAdam(),
            new F3_09_OptimizerComparison(),
            new F3_10_SigmoidL2(),
            new F3_11_AddMul(),
            new F3_12_MatrixCalculusLayouts(),
            new F3_13_LinearModule(),
            new F3_15_PointwiseDerivatives(),
            new F3_16_UnitVisualization(),
            new F3_17_TanhNetworkBackprop(),
            new F3_18_AutodiffVsFiniteDiff(),
            new F3_19_HipsLogisticRegression(),
            new F3_20_CustomFunction(),
            new F4_01_Xor(),
            new F4_02_GradientField(),
            new F4_04_TanhLogGraph(),
            new F4_07_TanhRegression(),
            new F4_08_BuildingBlocks(),
            new F4_09_CanonicalLoop(),
            new F4_10_NarrowLinearNet(),
            new F4_11_TrainingLandscape(),
            new F4_12_CriticalPoints(),
            new F4_13_DepthEffect(),
            new F4_14_LearningRateDiagnosis(),
            new F4_16_InitProducts(),
            new F4_17_HeInit(),
            new F4_C2_FrozenParameters(),
            new CharLstm()); // recurrent layers (issue 11)

    /** All examples, in order. */
    public static List<Example> all() {
        return ALL;
    }

    /** The example with this name, or with a name starting with {@code prefix-} (e.g. {@code f0-08}). */
    public static Optional<Example> find(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        for (Example e : ALL) {
            if (e.name().equals(n) || e.name().startsWith(n + "-")) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
