import autocannon from 'autocannon';

/**
 * Runs autocannon in this process (the server runs in another) and returns its summary.
 * `authorizations`: Authorization header values that the requests take in turn (one account each,
 * say) instead of one in `headers`.
 */
export function load({
  url,
  method = 'GET',
  headers = {},
  body,
  connections = 50,
  duration = 10,
  authorizations,
}) {
  let turn = 0;
  const requests = authorizations && [
    {
      setupRequest: (request) => ({
        ...request,
        headers: { ...request.headers, Authorization: authorizations[turn++ % authorizations.length] },
      }),
    },
  ];
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method,
        headers,
        body,
        connections,
        duration,
        expectBody: undefined,
        ...(requests && { requests }),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** The figures we report from an autocannon result. */
export const summary = (result) => ({
  rps: result.requests.average,
  p50: result.latency.p50,
  p90: result.latency.p90,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  responses: result['2xx'] + result.non2xx,
  errors: result.errors + result.timeouts,
});
