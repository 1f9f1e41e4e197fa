package io.vecgrad.engine.spi;

import io.vecgrad.engine.DType;
import java.lang.foreign.MemorySegment;

/**
 * Fused per-time-step gate kernels of the recurrent layers (PyTorch's gate order): one call
 * handles one time step for a whole batch, after the caller has made the two projections with
 * GEMM ({@code xp = x·W_ihᵀ} for all steps at once, {@code hp = h_{t-1}·W_hhᵀ} per step). The
 * forward kernels add the biases, apply the gate nonlinearities and update the state in one
 * call; the backward kernels turn the gradient of the step's output into the gradients of the
 * gate pre-activations, which the caller feeds to GEMM again.
 *
 * <p><b>Layout.</b> Every operand is contiguous, of element type {@code dt}, addressed by a
 * segment plus an <em>element</em> offset. With {@code B = batch}, {@code H = hidden} and
 * {@code g} gates ({@code 1} tanh-RNN, {@code 3} GRU, {@code 4} LSTM): {@code xp} and
 * {@code hp} are {@code [B, g·H]} (row {@code b} starts at element {@code b·g·H}), the biases
 * {@code [g·H]}, states and state gradients {@code [B, H]}. Gate {@code k} of row {@code b} is
 * the slice {@code [k·H, (k+1)·H)} of that row.
 *
 * <p><b>Contract.</b> Implementations trust their arguments (the caller checked shapes once);
 * outputs do not overlap inputs unless a method says so. No allocation, native or heap.
 */
public interface RecurrentKernels {

    /** {@code "scalar"} or {@code "vector-<bits>"}. */
    String name();

    /**
     * Elman RNN step: {@code h = act(xp + bih + hp + bhh)} with {@code act = tanh} or, when
     * {@code relu}, {@code max(0, ·)}. Shapes {@code xp, hp: [B, H]}, {@code h: [B, H]} (written).
     */
    void rnnForward(DType dt, boolean relu, int batch, int hidden,
                    MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                    MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                    MemorySegment h, long hOff);

    /**
     * Elman RNN step backward: {@code da = (gy + dh) * act'(h)} where {@code h} is the step's
     * output ({@code 1 - h²} for tanh, {@code h > 0} for relu). All {@code [B, H]}; {@code da}
     * is written and may alias {@code dh}.
     */
    void rnnBackward(DType dt, boolean relu, int batch, int hidden,
                     MemorySegment h, long hOff, MemorySegment gy, long gyOff,
                     MemorySegment dh, long dhOff, MemorySegment da, long daOff);

    /**
     * LSTM step with gates {@code i, f, g, o}: {@code a = xp + bih + hp + bhh} ({@code [B, 4H]}),
     * {@code i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o)},
     * {@code c = f·cPrev + i·g}, {@code h = o·tanh(c)}.
     *
     * @param act written: the activations {@code i, f, g, o} ({@code [B, 4H]}), kept for backward
     * @param c written: the new cell state {@code [B, H]}
     * @param h written: the new hidden state {@code [B, H]}
     */
    void lstmForward(DType dt, int batch, int hidden,
                     MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                     MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                     MemorySegment cPrev, long cPrevOff,
                     MemorySegment act, long actOff, MemorySegment c, long cOff, MemorySegment h, long hOff);

    /**
     * LSTM step backward. With {@code dH = gy + dh} (the step's total hidden gradient) and
     * {@code tc = tanh(c)}: {@code dC = dc + dH·o·(1 - tc²)}; the pre-activation gradients
     * {@code da_i = dC·g·i(1-i)}, {@code da_f = dC·cPrev·f(1-f)}, {@code da_g = dC·i·(1-g²)},
     * {@code da_o = dH·tc·o(1-o)} go to {@code da} ({@code [B, 4H]}, written), and
     * {@code dc} is overwritten with {@code dC·f}, the gradient of {@code cPrev}.
     *
     * @param dh the gradient reaching {@code h} through the next step (read only)
     * @param dc in: the gradient of {@code c} from the next step; out: the gradient of {@code cPrev}
     */
    void lstmBackward(DType dt, int batch, int hidden,
                      MemorySegment act, long actOff, MemorySegment cPrev, long cPrevOff,
                      MemorySegment c, long cOff, MemorySegment gy, long gyOff,
                      MemorySegment dh, long dhOff, MemorySegment dc, long dcOff,
                      MemorySegment da, long daOff);

    /**
     * GRU step with gates {@code r, z, n}: {@code r = σ(xp_r + bih_r + hp_r + bhh_r)},
     * {@code z = σ(xp_z + bih_z + hp_z + bhh_z)}, {@code hn = hp_n + bhh_n},
     * {@code n = tanh(xp_n + bih_n + r·hn)}, {@code h = (1 - z)·n + z·hPrev}.
     *
     * @param act written: {@code r, z, n, hn} ({@code [B, 4H]}), kept for backward
     * @param h written: the new hidden state {@code [B, H]}
     */
    void gruForward(DType dt, int batch, int hidden,
                    MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                    MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                    MemorySegment hPrev, long hPrevOff,
                    MemorySegment act, long actOff, MemorySegment h, long hOff);

    /**
     * GRU step backward. With {@code dH = gy + dh}: {@code da_n = dH·(1-z)·(1-n²)},
     * {@code da_z = dH·(hPrev - n)·z(1-z)}, {@code da_r = da_n·hn·r(1-r)}. Writes
     * {@code dxp = (da_r, da_z, da_n)} and {@code dhp = (da_r, da_z, da_n·r)} (both
     * {@code [B, 3H]}) and overwrites {@code dh} with {@code dH·z}, the part of the gradient of
     * {@code hPrev} that does not pass through {@code W_hh}.
     */
    void gruBackward(DType dt, int batch, int hidden,
                     MemorySegment act, long actOff, MemorySegment hPrev, long hPrevOff,
                     MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                     MemorySegment dxp, long dxpOff, MemorySegment dhp, long dhpOff);
}
