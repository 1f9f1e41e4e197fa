/**
 * A library user's application module: it requires vecgrad's modules by name. io.vecgrad.optim
 * alone would do (it requires io.vecgrad.autograd, which requires io.vecgrad.engine,
 * transitively); autograd is named too so that a break in either descriptor shows here.
 */
module io.vecgrad.it.consumer {
    requires io.vecgrad.optim;
    requires io.vecgrad.autograd;
}
