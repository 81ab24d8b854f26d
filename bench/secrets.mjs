// Secrets the benchmark servers and the load generator share (nothing real).
export const BENCH_SECRETS = {
  faceio: 'bench-faceio-token',
  facesign: 'whsec_bench',
  idaas: 'bench-idaas-secret',
};
