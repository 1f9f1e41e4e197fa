package io.vecgrad.engine.spi;

import io.vecgrad.engine.DType;
import java.lang.foreign.MemorySegment;

/**
 * Fused in-place optimizer updates: each method makes one pass over {@code n} elements, reading
 * the parameter {@code p}, its gradient {@code g} and the optimizer state once and writing
 * {@code p} and the state once per element. The gradient is never written (PyTorch's weight
 * decay makes a new gradient tensor; here the decayed gradient only lives in a register).
 *
 * <p>A separate seam from {@link KernelProvider} so the optimizers can evolve without touching
 * the elementwise/GEMM interface. The rules are PyTorch 1.13's single-tensor paths; the
 * optimizer classes in {@code io.vecgrad.optim} carry the equations in their Javadoc.
 *
 * <p><b>Contract.</b> Implementations trust their arguments (the optimizer checked them once):
 * every array operand is a {@link MemorySegment} plus an <em>element</em> offset, contiguous (unit
 * increment), of element type {@code dt}, holding at least {@code off + n} elements; the operands
 * do not overlap. Scalars come as {@code double}; for {@link DType#F32} the kernel rounds each
 * hyper-parameter (and each derived constant such as {@code 1 - beta1}, computed in double) to
 * float once and does all per-element arithmetic in float, as PyTorch's float kernels do.
 * Quantities that depend only on the step (bias corrections, Adagrad's decayed rate) are
 * computed by the caller or once per call, never per element.
 *
 * <p><b>Allocation.</b> None, native or heap.
 */
public interface UpdateKernels {

    /** {@code "scalar"} or {@code "vector-<bits>"}, for logs and benchmark metadata. */
    String name();

    /**
     * SGD with optional weight decay, momentum, dampening and Nesterov momentum:
     * <pre>
     * d = g + weightDecay * p                      (if weightDecay != 0)
     * if momentum != 0:
     *     buf = firstStep ? d : momentum * buf + (1 - dampening) * d
     *     d   = nesterov ? d + momentum * buf : buf
     * p = p - lr * d
     * </pre>
     *
     * @param buf the momentum buffer (written); ignored and may be {@code null} when
     *            {@code momentum == 0}
     * @param firstStep true on the step that creates the momentum buffer: it is set to
     *                  {@code d}, without dampening, and its old contents are not read
     */
    void sgd(DType dt, long n,
             MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment buf, long bufOff,
             double lr, double momentum, double dampening, double weightDecay,
             boolean nesterov, boolean firstStep);

    /**
     * Adagrad with the step's decayed learning rate {@code clr = lr / (1 + (t - 1) * lrDecay)}
     * computed by the caller:
     * <pre>
     * d   = g + weightDecay * p                    (if weightDecay != 0)
     * sum = sum + d * d
     * p   = p - clr * d / (sqrt(sum) + eps)
     * </pre>
     *
     * @param sum the accumulator (written)
     */
    void adagrad(DType dt, long n,
                 MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment sum, long sumOff,
                 double clr, double weightDecay, double eps);

    /**
     * RMSprop, optionally centered and with momentum:
     * <pre>
     * d   = g + weightDecay * p                    (if weightDecay != 0)
     * sq  = alpha * sq + (1 - alpha) * d * d
     * avg = sqrt(sq) + eps                         (plain)
     * ga  = alpha * ga + (1 - alpha) * d;  avg = sqrt(sq - ga * ga) + eps    (centered)
     * buf = momentum * buf + d / avg;  p = p - lr * buf                       (momentum > 0)
     * p   = p - lr * d / avg                                                  (otherwise)
     * </pre>
     *
     * @param gradAvg the running mean of the gradient (written), or {@code null} for the plain
     *                (uncentered) form
     * @param buf the momentum buffer (written); ignored and may be {@code null} when
     *            {@code momentum == 0}
     */
    void rmsprop(DType dt, long n,
                 MemorySegment p, long pOff, MemorySegment g, long gOff,
                 MemorySegment squareAvg, long sqOff, MemorySegment gradAvg, long gaOff,
                 MemorySegment buf, long bufOff,
                 double lr, double alpha, double eps, double weightDecay, double momentum);

    /**
     * Adam, AdamW and AMSGrad at step {@code step} (1-based):
     * <pre>
     * p = p * (1 - lr * weightDecay)               (decoupled, AdamW)
     * d = g + weightDecay * p                      (weightDecay != 0 and not decoupled, L2)
     * m = beta1 * m + (1 - beta1) * d
     * v = beta2 * v + (1 - beta2) * d * d
     * vmax = max(vmax, v), used for v below        (amsgrad: vmax != null)
     * p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
     * </pre>
     * The two bias corrections are computed once per call.
     *
     * @param m first moment (written)
     * @param v second moment (written)
     * @param vmax running maximum of {@code v} (written), or {@code null} without AMSGrad
     */
    void adam(DType dt, long n,
              MemorySegment p, long pOff, MemorySegment g, long gOff,
              MemorySegment m, long mOff, MemorySegment v, long vOff, MemorySegment vmax, long vmaxOff,
              double lr, double beta1, double beta2, double eps, double weightDecay,
              boolean decoupled, long step);
}
