/**
 * Synchronous data-parallel training of vecgrad modules on Apache Spark: one long-lived barrier
 * stage whose tasks each hold a model replica, exchange gradients every step and apply the same
 * fused optimizer step, so every replica stays bit-identical. Spark is a provided dependency and
 * is imported in this package only.
 */
package io.vecgrad.spark;
