package io.vecgrad.engine.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Sums of the lanes of one vector in a fixed order (lane 0, then 1, ...), used where kernels
 * used {@code reduceLanes(ADD)}. The Vector API leaves the order of a floating-point
 * {@code reduceLanes(ADD)} unspecified, and in practice it differs between the interpreted
 * fallback and C2's intrinsic: the same matrix-vector product gave results a few ulps apart
 * before and after the JIT warmed up (seen as non-reproducible single-row predictions). Lane
 * extraction plus scalar adds is exact IEEE arithmetic in every execution mode, so a kernel's
 * result depends only on its inputs. The cost is a handful of scalar adds per reduction, which
 * happen once per output element after the vector loop. Used by the matrix-vector dot of
 * {@link VectorGemm} (single-row inference); the chunked reductions keep {@code reduceLanes}
 * because there C2 does not inline a helper taking a vector and would box one per chunk.
 */
final class LaneSums {
    private LaneSums() {}

    // Constant lane indices (the widths are static final, so C2 folds the branches): lane(i) with a
    // variable index is not intrinsified and allocates. Lanes are added left to right.

    /** {@code v[0] + v[1] + ... + v[n-1]}, left to right (n = 2, 4, 8 or 16). */
    static float sum(FloatVector v) {
        float s = v.lane(0) + v.lane(1);
        if (VectorConfig.FL == 2) {
            return s;
        }
        s = s + v.lane(2) + v.lane(3);
        if (VectorConfig.FL == 4) {
            return s;
        }
        s = s + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7);
        if (VectorConfig.FL == 8) {
            return s;
        }
        return s + v.lane(8) + v.lane(9) + v.lane(10) + v.lane(11) + v.lane(12) + v.lane(13) + v.lane(14)
                + v.lane(15);
    }

    /** {@code v[0] + v[1] + ... + v[n-1]}, left to right (n = 2, 4, 8 or 16). */
    static double sum(DoubleVector v) {
        double s = v.lane(0) + v.lane(1);
        if (VectorConfig.DL == 2) {
            return s;
        }
        s = s + v.lane(2) + v.lane(3);
        if (VectorConfig.DL == 4) {
            return s;
        }
        s = s + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7);
        if (VectorConfig.DL == 8) {
            return s;
        }
        return s + v.lane(8) + v.lane(9) + v.lane(10) + v.lane(11) + v.lane(12) + v.lane(13) + v.lane(14)
                + v.lane(15);
    }
}
