package io.vecgrad.engine.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species every vector kernel uses, fixed once per JVM. They are {@code static final} so the
 * JIT folds them into constants (a species held in a field or passed as a parameter costs about
 * 10x). {@code -Dvecgrad.vector.bits=128|256|512} forces a narrower width than the preferred
 * one, for tests and benchmarks; a width the CPU does not have falls back to the preferred one.
 */
public final class VectorConfig {
    private VectorConfig() {}

    /** Width in bits: the preferred species, or the forced one when it is supported. */
    public static final int BITS = chooseBits();

    /** The float species of width {@link #BITS}. */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.vectorBitSize() == BITS
            ? FloatVector.SPECIES_PREFERRED
            : VectorSpecies.of(float.class, VectorShape.forBitSize(BITS));

    /** The double species of width {@link #BITS}. */
    public static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED.vectorBitSize() == BITS
            ? DoubleVector.SPECIES_PREFERRED
            : VectorSpecies.of(double.class, VectorShape.forBitSize(BITS));

    /**
     * The float species of <em>half</em> width {@code BITS / 2}: it has {@link #DL} lanes, so a
     * float vector of it widens to exactly one {@link #D} vector and back
     * ({@code convertShape(F2D, D, 0)}, lane counts equal), which C2 intrinsifies
     * (vcvtps2pd / vcvtpd2ps). Splitting a full {@link #F} vector into two double vectors
     * ({@code convertShape} with part 1 or -1) is <em>not</em> intrinsified on JDK 25 and falls
     * back to boxed Java code, so f32 kernels that compute in double lanes load half vectors.
     */
    public static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(BITS / 2));

    /** Float lanes per vector. */
    public static final int FL = F.length();
    /** Double lanes per vector. */
    public static final int DL = D.length();

    /** The preferred (widest) width of this CPU, in bits. */
    public static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    private static int chooseBits() {
        int preferred = preferredBits();
        String forced = System.getProperty("vecgrad.vector.bits");
        if (forced == null || forced.isBlank()) {
            return preferred;
        }
        int bits;
        try {
            bits = Integer.parseInt(forced.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "vecgrad.vector.bits: '" + forced + "' is not one of 128, 256, 512", e);
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException(
                    "vecgrad.vector.bits: " + bits + " is not one of 128, 256, 512");
        }
        return Math.min(bits, preferred);
    }
}
