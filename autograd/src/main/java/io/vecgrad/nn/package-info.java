/**
 * Neural-network building blocks over {@link io.vecgrad.autograd.Tensor}, named and behaving as
 * PyTorch's {@code torch.nn}.
 *
 * <ul>
 *   <li>{@link io.vecgrad.nn.Layer}: parameters and children registered by name, dotted
 *       parameter names, train/eval, {@code stateDict}/{@code loadStateDict}, save/load.</li>
 *   <li>Layers: {@link io.vecgrad.nn.Sequential}, {@link io.vecgrad.nn.Linear},
 *       {@link io.vecgrad.nn.Dropout}, {@link io.vecgrad.nn.Flatten},
 *       {@link io.vecgrad.nn.Identity} and the activations {@link io.vecgrad.nn.ReLU},
 *       {@link io.vecgrad.nn.LeakyReLU}, {@link io.vecgrad.nn.Tanh}, {@link io.vecgrad.nn.Sigmoid},
 *       {@link io.vecgrad.nn.GELU}, {@link io.vecgrad.nn.Softmax}, {@link io.vecgrad.nn.LogSoftmax}.</li>
 *   <li>Losses: {@link io.vecgrad.nn.Loss Loss&lt;T&gt;} with T the target type
 *       ({@code Tensor} for {@link io.vecgrad.nn.MSELoss}, {@link io.vecgrad.nn.L1Loss},
 *       {@link io.vecgrad.nn.BCEWithLogitsLoss}; {@code Indices} for
 *       {@link io.vecgrad.nn.CrossEntropyLoss}, {@link io.vecgrad.nn.NLLLoss}).</li>
 *   <li>{@link io.vecgrad.nn.Init}: seeded in-place initialisers (Kaiming, Xavier, ...).</li>
 *   <li>{@link io.vecgrad.nn.SafeTensors}: the safetensors file format, validated on load.</li>
 * </ul>
 *
 * <p>Everything random takes an explicit {@link java.util.random.RandomGenerator}, so a seed
 * fixes initial weights and dropout masks.
 */
package io.vecgrad.nn;
