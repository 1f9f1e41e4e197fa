package io.vecgrad.engine.internal.vector;

/**
 * Keeps cold vector kernels from running in the interpreter or C1 on the caller's rows.
 *
 * <p><b>Why.</b> Vector API code is only fast once C2 has compiled it: interpreted or C1-compiled,
 * every lanewise op allocates a boxed vector and runs through lambdas, 10^3-10^4x slower than the
 * scalar twin (measured: f32 exp at n=4096 took 73,000 ns/el on the first call, 500-3,500 ns/el
 * for the next ~500 calls while in C1, 0.7 ns/el once C2 had compiled the loop after ~1,000
 * calls / 3.8 s). A kernel reaches C2 only after thousands of invocations, so every kernel of a
 * fresh JVM spent seconds at that speed, and any measurement or short job that fell into this
 * window saw the "catastrophically slow" kernel.
 *
 * <p><b>What.</b> Each kernel (op x dtype x family) has a slot. While the slot is cold, the
 * caller splits the row: the vector kernel does a prefix of {@link #coldPrefix} elements (so it
 * keeps accruing invocation and back-edge counts and gets compiled), the scalar twin does the
 * rest. The prefix is sized from the last measured vector and scalar ns/element so the vector
 * part costs at most {@link #BUDGET}x the scalar work of the call (one vector at least; when even
 * that is over budget, e.g. interpreted, a running credit skips the vector part on some calls), so
 * a cold call costs at most about (1 + BUDGET)x the scalar twin instead of 10^4x. After
 * {@link #WINS_TO_HOT} consecutive cold calls in which the vector prefix (at least
 * {@link #MIN_JUDGED} elements or the whole row) was faster per element than the scalar twin, the
 * slot turns hot for good and the caller runs the plain vector kernel with no timing.
 *
 * <p>The state is racy on purpose (plain arrays, no locks): a lost update only delays or repeats
 * a decision, and results never depend on it because vector and scalar kernels agree.
 */
final class JitGate {
    private JitGate() {}

    /** Slots: 4 families x 2 dtypes x 64 ordinals. */
    static final int UNARY = 0;
    static final int BINARY = 1;
    static final int ROW = 2; // reductions, softmax, where, dot: one slot per method and dtype
    static final int SLOTS = 3 * 2 * 64;

    /** Vector part of a cold call may cost at most BUDGET x the scalar cost of the whole call. */
    static final double BUDGET = 1.0;
    /** Consecutive "vector faster than scalar" cold calls before a slot turns hot. */
    static final int WINS_TO_HOT = 3;
    /** Smallest vector prefix whose timing is trusted (System.nanoTime granularity ~20-30 ns). */
    static final long MIN_JUDGED = 512;
    /** Credit cap (ns), so a long scalar phase cannot bank an unbounded vector burst. */
    private static final double CREDIT_CAP = 5_000_000.0;

    /**
     * Gate on or off: {@code -Dvecgrad.vector.jitgate=on|off}; by default on, except when Java
     * assertions are enabled ({@code -ea}, as in the test runs): then every call goes to the
     * vector kernel, so the property tests compare the vector kernels themselves with the scalar
     * twin on every call instead of mostly the scalar twin with itself.
     */
    static final boolean ENABLED = enabledByDefault();

    private static boolean enabledByDefault() {
        String v = System.getProperty("vecgrad.vector.jitgate");
        if (v != null && !v.isBlank()) {
            return !v.trim().equalsIgnoreCase("off") && !v.trim().equalsIgnoreCase("false");
        }
        boolean ea = false;
        assert ea = true; // side effect on purpose: true only under -ea
        return !ea;
    }

    private static final boolean[] HOT = new boolean[SLOTS];
    private static final double[] VECTOR_NS = new double[SLOTS]; // last vector ns/element, 0 = unknown
    private static final double[] SCALAR_NS = new double[SLOTS]; // smoothed scalar ns/element, 0 = unknown
    private static final double[] CREDIT = new double[SLOTS];
    private static final int[] WINS = new int[SLOTS];

    static int slot(int family, boolean f32, int ordinal) {
        return (family * 2 + (f32 ? 0 : 1)) * 64 + ordinal;
    }

    static boolean hot(int slot) {
        return HOT[slot];
    }

    static {
        if (!ENABLED) {
            java.util.Arrays.fill(HOT, true);
        }
    }

    /**
     * Elements (a multiple of {@code lanes}, at most n) the vector kernel should do on this cold
     * call; 0 = scalar only.
     */
    static long coldPrefix(int slot, long n, int lanes) {
        if (n < lanes || CREDIT[slot] < 0) {
            return 0;
        }
        double v = VECTOR_NS[slot];
        double s = SCALAR_NS[slot];
        long p;
        if (s <= 0) {
            // scalar speed unknown: measure it first (whole row when there is nothing left over)
            return n >= 2L * lanes ? lanes : 0;
        } else if (v <= 0) {
            p = lanes;
        } else {
            double want = BUDGET * s * n / v;
            p = want >= n ? n : (long) want;
        }
        p = Math.max(lanes, Math.min(n, p));
        return p == n ? n : p - p % lanes;
    }

    /**
     * Records a cold call: {@code p} elements by the vector kernel in {@code vectorNs}, {@code q}
     * elements by the scalar twin in {@code scalarNs}, and {@code n} elements of work in the call.
     */
    static void record(int slot, long p, long vectorNs, long q, long scalarNs, long n) {
        if (q >= 16) {
            double s = scalarNs / (double) q;
            double old = SCALAR_NS[slot];
            SCALAR_NS[slot] = old <= 0 ? s : 0.5 * (old + s);
        }
        double sc = SCALAR_NS[slot];
        double credit = CREDIT[slot] + BUDGET * sc * n - (p > 0 ? vectorNs : 0);
        CREDIT[slot] = Math.min(credit, CREDIT_CAP);
        if (p <= 0) {
            return;
        }
        double v = vectorNs / (double) p;
        VECTOR_NS[slot] = v;
        if (sc > 0 && (p >= MIN_JUDGED || p == n) && v <= sc) {
            if (++WINS[slot] >= WINS_TO_HOT) {
                HOT[slot] = true;
            }
        } else {
            WINS[slot] = 0;
        }
    }

    /** Test hook: forgets everything (all slots cold). */
    static void resetForTests() {
        java.util.Arrays.fill(HOT, false);
        java.util.Arrays.fill(VECTOR_NS, 0);
        java.util.Arrays.fill(SCALAR_NS, 0);
        java.util.Arrays.fill(CREDIT, 0);
        java.util.Arrays.fill(WINS, 0);
    }

    /** Test hook: marks every slot hot (tests that must exercise the vector kernels at once). */
    static void allHotForTests() {
        java.util.Arrays.fill(HOT, true);
    }
}
