import autocannon from 'autocannon';

/** Runs autocannon in this process (the server runs in another) and returns its summary. */
export function load({ url, method = 'GET', headers = {}, body, connections = 50, duration = 10 }) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, method, headers, body, connections, duration, expectBody: undefined },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** The figures we report from an autocannon result. */
export const summary = (result) => ({
  rps: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
});
