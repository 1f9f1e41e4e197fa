/**
 * vecgrad as a DJL (Deep Java Library) engine named {@code "VecGrad"}.
 *
 * <p>{@link io.vecgrad.djl.VgEngineProvider} is registered through {@code META-INF/services}, so
 * putting {@code vecgrad-djl} on the classpath is enough: DJL picks it when it is the only engine,
 * and {@code -Dai.djl.default_engine=VecGrad} selects it next to a native engine. Float32 and
 * float64 arrays compute on vecgrad tensors (with reverse-mode gradients through
 * {@link io.vecgrad.djl.VgGradientCollector}); integer and boolean arrays are stored exactly in
 * float64 tensors and converted where DJL reads them. Operations vecgrad does not provide throw
 * {@link java.lang.UnsupportedOperationException} naming the method.
 */
package io.vecgrad.djl;
