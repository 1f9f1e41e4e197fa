// A JVMTI agent for StepAllocProbe: while armed it records every heap allocation (sampling
// interval 0, so each allocation C2 did not eliminate) with its class and 16 frames, and on
// disarm prints the sites by bytes. Build and use: bench/peers/alloc_trace.sh.
#include <jvmti.h>
#include <jni.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static jvmtiEnv *J;
static volatile int armed;
#define NS 4096
typedef struct { char key[2048]; long bytes; long count; } Ent;
static Ent tab[NS];
static int nent;
static volatile int lock; /* allocations on several threads (engine workers) take turns */
static void JNICALL onAlloc(jvmtiEnv *jv, JNIEnv *jni, jthread th, jobject o, jclass k, jlong size) {
  if (!armed) return;
  char *sig = NULL; (*jv)->GetClassSignature(jv, k, &sig, NULL);
  jvmtiFrameInfo fr[16]; jint n = 0; (*jv)->GetStackTrace(jv, th, 0, 16, fr, &n);
  char key[2048]; int p = snprintf(key, sizeof key, "%s", sig ? sig : "?");
  if (sig) (*jv)->Deallocate(jv, (unsigned char*)sig);
  for (int i = 0; i < n && p < 1900; i++) {
    char *mn = NULL; jclass dc; char *cs = NULL;
    (*jv)->GetMethodName(jv, fr[i].method, &mn, NULL, NULL);
    (*jv)->GetMethodDeclaringClass(jv, fr[i].method, &dc);
    (*jv)->GetClassSignature(jv, dc, &cs, NULL);
    jint ln = -1; jvmtiLineNumberEntry *lt = NULL; jint lc = 0;
    if ((*jv)->GetLineNumberTable(jv, fr[i].method, &lc, &lt) == JVMTI_ERROR_NONE) {
      for (int j = 0; j < lc; j++) if (lt[j].start_location <= fr[i].location) ln = lt[j].line_number;
      (*jv)->Deallocate(jv, (unsigned char*)lt);
    }
    const char *c = cs ? strrchr(cs, '/') : NULL; c = c ? c + 1 : (cs ? cs : "?");
    p += snprintf(key + p, sizeof key - p, "\n    %.*s.%s:%d", (int)(strlen(c) - 1), c, mn ? mn : "?", ln);
    if (mn) (*jv)->Deallocate(jv, (unsigned char*)mn);
    if (cs) (*jv)->Deallocate(jv, (unsigned char*)cs);
  }
  while (__sync_lock_test_and_set(&lock, 1)) { }
  int i = 0;
  while (i < nent && strcmp(tab[i].key, key)) i++;
  if (i < nent) { tab[i].bytes += size; tab[i].count++; }
  else if (nent < NS) { strcpy(tab[nent].key, key); tab[nent].bytes = size; tab[nent].count = 1; nent++; }
  __sync_lock_release(&lock);
}
JNIEXPORT void JNICALL Java_io_vecgrad_bench_train_StepAllocProbe_arm(JNIEnv *e, jclass c, jboolean on) {
  if (on) { nent = 0; armed = 1; return; }
  armed = 0;
  while (__sync_lock_test_and_set(&lock, 1)) { }
  // sort by bytes desc
  for (int i = 0; i < nent; i++) for (int j = i + 1; j < nent; j++) if (tab[j].bytes > tab[i].bytes) { Ent t = tab[i]; tab[i] = tab[j]; tab[j] = t; }
  for (int i = 0; i < nent; i++) fprintf(stderr, "%8ld B %6ld x  %s\n", tab[i].bytes, tab[i].count, tab[i].key);
  fflush(stderr);
  __sync_lock_release(&lock);
}
JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *opt, void *r) {
  (*vm)->GetEnv(vm, (void**)&J, JVMTI_VERSION_11);
  jvmtiCapabilities cap; memset(&cap, 0, sizeof cap);
  cap.can_generate_sampled_object_alloc_events = 1; cap.can_get_line_numbers = 1;
  (*J)->AddCapabilities(J, &cap);
  jvmtiEventCallbacks cb; memset(&cb, 0, sizeof cb); cb.SampledObjectAlloc = onAlloc;
  (*J)->SetEventCallbacks(J, &cb, sizeof cb);
  (*J)->SetEventNotificationMode(J, JVMTI_ENABLE, JVMTI_EVENT_SAMPLED_OBJECT_ALLOC, NULL);
  (*J)->SetHeapSamplingInterval(J, 0);
  return 0;
}
