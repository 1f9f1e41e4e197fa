/*
 * Single-core f32 FMA peak with AVX-512: 16 independent zmm accumulators (more than the 2 pipes x
 * 4-cycle latency = 8 needed), no memory traffic. Checks the Vector API probe in GemmProbe:
 * both should reach the same figure. Built at bench time, never committed as a binary:
 *   gcc -O3 -mavx512f -o target/fma_peak bench/peers/fma_peak.c && target/fma_peak [reps] [ms]
 * Prints GFLOP/s per batch (wall clock and this thread's CPU time), then the best and the median.
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double secs(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 9;
    double ms = argc > 2 ? atof(argv[2]) : 100;
    if (reps < 1 || reps > 1000) reps = 9;
    __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    /* named accumulators (an array would be kept in memory), distinct start values */
#define INIT(k) __m512 c##k = _mm512_set1_ps(1.0f + 0.01f * k + argc * 1e-9f);
    INIT(0) INIT(1) INIT(2) INIT(3) INIT(4) INIT(5) INIT(6) INIT(7)
    INIT(8) INIT(9) INIT(10) INIT(11) INIT(12) INIT(13) INIT(14) INIT(15)
    double wall[1000], cpu[1000];
    for (int r = -2; r < reps; r++) {   /* two warm-up batches */
        double w0 = secs(CLOCK_MONOTONIC), t0 = secs(CLOCK_THREAD_CPUTIME_ID);
        long iters = 0;
        do {
            for (int i = 0; i < 4096; i++) {
#define F(k) c##k = _mm512_fmadd_ps(c##k, a, b);
                F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9) F(10) F(11) F(12) F(13) F(14) F(15)
                __asm__ volatile("" : "+v"(c0), "+v"(c1), "+v"(c2), "+v"(c3), "+v"(c4), "+v"(c5),
                                 "+v"(c6), "+v"(c7));
                __asm__ volatile("" : "+v"(c8), "+v"(c9), "+v"(c10), "+v"(c11), "+v"(c12),
                                 "+v"(c13), "+v"(c14), "+v"(c15));
            }
            iters += 4096;
        } while (secs(CLOCK_MONOTONIC) - w0 < ms * 1e-3);
        double flops = iters * 16.0 * 16 * 2;
        double w = secs(CLOCK_MONOTONIC) - w0, cc = secs(CLOCK_THREAD_CPUTIME_ID) - t0;
        if (r >= 0) {
            wall[r] = flops / w * 1e-9;
            cpu[r] = flops / cc * 1e-9;
            printf("batch %d: %.1f GFLOP/s wall, %.1f GFLOP/s CPU time\n", r, wall[r], cpu[r]);
        }
    }
    float s[16];
    __m512 sum = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c0, c1), _mm512_add_ps(c2, c3)),
                               _mm512_add_ps(_mm512_add_ps(c4, c5), _mm512_add_ps(c6, c7)));
    sum = _mm512_add_ps(sum, _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c8, c9), _mm512_add_ps(c10, c11)),
                                           _mm512_add_ps(_mm512_add_ps(c12, c13), _mm512_add_ps(c14, c15))));
    _mm512_storeu_ps(s, sum);
    qsort(wall, reps, sizeof(double), cmp);
    qsort(cpu, reps, sizeof(double), cmp);
    printf("C AVX-512 FMA peak, 1 thread: best %.1f / median %.1f GFLOP/s wall; best %.1f / median %.1f CPU time"
           " (checksum %g)\n", wall[reps - 1], wall[reps / 2], cpu[reps - 1], cpu[reps / 2], s[0]);
    return 0;
}
