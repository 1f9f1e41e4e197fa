/*
 * STREAM-style bandwidth probe in C (vecgrad's own, for reference next to
 * io.vecgrad.bench.probe.StreamProbe): copy c = a, scale b = s c, add c = a + b, triad
 * a = b + s c, read sum(a), over 64-byte-aligned float arrays, one thread. Bytes counted as STREAM
 * counts them (no write-allocate traffic): 8 B/element for copy/scale, 12 for add/triad, 4 for read.
 * Prints best and median GB/s over REPS passes after a warm-up, by wall time and by thread-CPU
 * time (which leaves out waits for a core on a shared machine), and the spread of the time.
 *
 *   bench/peers/stream.sh [reps] [n...]      (compiles this file with gcc -O3 -march=native -ffast-math first)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *x, const void *y) {
    double a = *(const double *) x, b = *(const double *) y;
    return a < b ? -1 : a > b;
}

static float *restrict A, *restrict B, *restrict C;
static volatile float sink;

static void k_copy(long n) { for (long i = 0; i < n; i++) C[i] = A[i]; }
static void k_scale(long n) { for (long i = 0; i < n; i++) B[i] = 3.0f * C[i]; }
static void k_add(long n) { for (long i = 0; i < n; i++) C[i] = A[i] + B[i]; }
static void k_triad(long n) { for (long i = 0; i < n; i++) A[i] = B[i] + 3.0f * C[i]; }
static void k_read(long n) {
    float s = 0; /* -O3 -ffast-math below lets gcc vectorise this with several accumulators */
    for (long i = 0; i < n; i++) s += A[i];
    sink = s;
}

static const char *load(void) {
    static char buf[32];
    FILE *f = fopen("/proc/loadavg", "r");
    if (!f || fscanf(f, "%31s", buf) != 1) snprintf(buf, sizeof buf, "?");
    if (f) fclose(f);
    return buf;
}

static void run(const char *name, void (*k)(long), long n, int bytes, int reps) {
    double end = now() + 1.0;
    for (int w = 0; w < 10 || now() < end; w++) k(n);
    long inner = (1L << 24) / n;
    if (inner < 1) inner = 1;
    double *t = malloc(sizeof(double) * reps);
    double *c = malloc(sizeof(double) * reps);
    for (int r = 0; r < reps; r++) {
        double c0 = cpu();
        double t0 = now();
        for (long j = 0; j < inner; j++) k(n);
        t[r] = (now() - t0) / inner;
        c[r] = (cpu() - c0) / inner;
    }
    qsort(t, reps, sizeof(double), cmp);
    qsort(c, reps, sizeof(double), cmp);
    double by = (double) n * bytes;
    printf("c      %-6s n=%-9ld wall best %6.1f median %6.1f GB/s (spread %4.0f%%)  cpu best %6.1f median %6.1f GB/s"
           " (spread %4.0f%%)  load %s\n",
           name, n, by / t[0] / 1e9, by / t[reps / 2] / 1e9, 100 * (t[reps - 1] - t[0]) / t[reps / 2],
           by / c[0] / 1e9, by / c[reps / 2] / 1e9, 100 * (c[reps - 1] - c[0]) / c[reps / 2], load());
    free(t);
    free(c);
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 30;
    long def[] = {1L << 20, 1L << 24};
    int ns = argc > 2 ? argc - 2 : 2;
    printf("# stream.c (gcc -O3 -march=native, f32, 1 thread), load %s\n", load());
    for (int s = 0; s < ns; s++) {
        long n = argc > 2 ? atol(argv[2 + s]) : def[s];
        A = aligned_alloc(64, n * 4);
        B = aligned_alloc(64, n * 4);
        C = aligned_alloc(64, n * 4);
        for (long i = 0; i < n; i++) { A[i] = 1; B[i] = 2; C[i] = 0; }
        run("copy", k_copy, n, 8, reps);
        run("scale", k_scale, n, 8, reps);
        run("add", k_add, n, 12, reps);
        run("triad", k_triad, n, 12, reps);
        run("read", k_read, n, 4, reps);
        free(A); free(B); free(C);
    }
    return 0;
}
