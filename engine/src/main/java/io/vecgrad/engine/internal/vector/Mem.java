package io.vecgrad.engine.internal.vector;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The vector stores of the memory-bound kernels (elementwise, reductions, norms, optimizer
 * updates, copies), on native-order segments. Each store tests whether the segment
 * is a plain native segment (what the engine's storage always is); on that path C2 knows the
 * segment's exact class and binds the JDK's segment-access calls statically.
 *
 * <p><b>Why.</b> The JDK's {@code FloatVector.intoMemorySegment} and {@code ScopedMemoryAccess}
 * keep <em>one</em> type profile per call site for the whole JVM. The Vector API's own fallback
 * for {@code reinterpretAsInts()} and friends ({@code AbstractVector.defaultReinterpret}, which
 * runs while exp, sigmoid, tanh, log ... are still interpreted or in C1) stores into a heap byte
 * array segment, and so does any heap segment a caller passes in. From then on every kernel that
 * C2 compiles sees two segment classes at those sites, gets a type switch around each store, and
 * runs 3-5x slower: relu at 64 K took 2.6 us when it was compiled before exp had first run and
 * 10.3 us after (add 4.1 vs 13.7 us; 22 us with AVX2), so a kernel's speed depended on what had
 * run before it in the JVM. With the exact class at the call site the profile is not consulted.
 * ({@code -XX:TypeProfileLevel=222} fixes it too, through speculative parameter types, but a
 * library cannot set JVM flags.) C2 sharpens the type from the {@code getClass()} test itself, so
 * no cast is needed, and the test is loop-invariant: C2 unswitches the loop on it. A heap or
 * mapped segment takes the generic path, out of line.
 *
 * <p><b>Where not.</b> Loads are not wrapped: the fallback pollutes only masked loads, which the
 * kernels use in their tails, and one more inlining level made the reductions' tail loads box
 * their vectors (ReductionAllocationTest). The compute-bound kernels (VectorMath's exp/tanh/
 * sigmoid/log loops, softmax's exp-and-sum chunks, the activations and recurrent cells) store
 * directly: their exp dominates, and the guard's extra nodes pushed them over C2's inlining node
 * budget, which left their stores out of line (tanh 43 -> 90 us, softmax 170 -> 400 us at 256x1000).
 * GEMM stores its C tile directly too (once per tile, not per element; the guard there made the
 * small f64 GEMM box its tile). Each helper stays under C2's 35-byte limit for inlining at cold
 * call sites.
 */
final class Mem {
    private Mem() {}

    private static final ByteOrder BO = ByteOrder.nativeOrder();
    /** The class of plain native segments ({@code Arena} allocations and their slices). */
    static final Class<? extends MemorySegment> NATIVE = MemorySegment.NULL.getClass();

    static void st(FloatVector v, MemorySegment s, long off) {
        if (s.getClass() == NATIVE) {
            v.intoMemorySegment(s, off, BO);
            return;
        }
        any(v, s, off);
    }

    static void st(FloatVector v, MemorySegment s, long off, VectorMask<Float> m) {
        if (s.getClass() == NATIVE) {
            v.intoMemorySegment(s, off, BO, m);
            return;
        }
        any(v, s, off, m);
    }

    static void st(DoubleVector v, MemorySegment s, long off) {
        if (s.getClass() == NATIVE) {
            v.intoMemorySegment(s, off, BO);
            return;
        }
        any(v, s, off);
    }

    static void st(DoubleVector v, MemorySegment s, long off, VectorMask<Double> m) {
        if (s.getClass() == NATIVE) {
            v.intoMemorySegment(s, off, BO, m);
            return;
        }
        any(v, s, off, m);
    }

    // The generic path, out of line so that the helpers above stay under 35 bytes.

    private static void any(FloatVector v, MemorySegment s, long off) {
        v.intoMemorySegment(s, off, BO);
    }

    private static void any(FloatVector v, MemorySegment s, long off, VectorMask<Float> m) {
        v.intoMemorySegment(s, off, BO, m);
    }

    private static void any(DoubleVector v, MemorySegment s, long off) {
        v.intoMemorySegment(s, off, BO);
    }

    private static void any(DoubleVector v, MemorySegment s, long off, VectorMask<Double> m) {
        v.intoMemorySegment(s, off, BO, m);
    }
}
